import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { TEST_CONFIG } from './api/client.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

function startServer(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(tsx, ['src/server/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env } });
}

/** Waits for the server's line that gives its URL (reading on, so the pipe stays open). */
function urlOf(server: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    server.once('exit', () => reject(new Error(`The server stopped before listening: ${output}`)));
  });
}

const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data: Record<string, Record<string, unknown>>; errors?: unknown[] };
};

let running: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
});

describe('the server process', () => {
  it('serves a first conversation over HTTP and stops cleanly on SIGTERM', async () => {
    running = startServer({});
    const url = await urlOf(running);
    const created = await gql(url, 'mutation { createSession(input: { title: "Smoke" }) { ... on Session { id } } }');
    const id = created.data.createSession?.id as string;
    const appended = await gql(
      url,
      'mutation($id: ID!) { appendMessages(sessionId: $id, messages: [{ role: USER, content: "Hi" }, { role: ASSISTANT, content: "Hello" }]) { ... on AppendMessagesPayload { addedCount } } }',
      { id },
    );
    expect(appended.data.appendMessages).toEqual({ addedCount: 2 });
    const history = await gql(url, 'query($id: ID!) { history(sessionId: $id, last: 10) { ... on MessageConnection { edges { node { seq content } } } } }', { id });
    expect(history.data.history).toEqual({ edges: [{ node: { seq: 1, content: 'Hi' } }, { node: { seq: 2, content: 'Hello' } }] });
    running.kill('SIGTERM');
    const [code] = (await once(running, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses a bad environment with one clear line and exit code 1', async () => {
    running = startServer({ PORT: 'http' });
    let stderr = '';
    running.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const [code] = (await once(running, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Invalid environment: PORT="http": expected a port number from 0 to 65535');
  });
});

describe('graceful stop', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const storage = createMemoryStorage();
    const slowCount = storage.countUsers.bind(storage);
    storage.countUsers = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return slowCount();
    };
    const app = createApp({ storage, config: TEST_CONFIG });
    const url = await app.start(0);
    const inFlight = gql(url, '{ stats { ... on Stats { userCount } } }');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = app.stop();
    expect((await inFlight).data.stats).toEqual({ userCount: 0 });
    await stopped;
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });
});
