import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { TEST_CONFIG } from './api/client.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The entry point in this process's node, tsx as a loader: the PID is the server's own, so a kill
 * after a failed test reaches the server (tsx's own command would run it in a child of its own).
 */
function startServer(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env } });
}

/** Whether any process of the group led by pid is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
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
let group: number | undefined;
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
  // `npm start` runs in a process group of its own: whatever of it is left goes too.
  if (group !== undefined && groupAlive(group)) process.kill(-group, 'SIGKILL');
  group = undefined;
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

  it('`npm start` builds and runs the server under plain node: SIGTERM to npm stops it, exit 0, nothing left behind', async () => {
    // As a process manager runs it: npm's PID is the one it holds and signals.
    running = spawn('npm', ['start'], { cwd: root, detached: true, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info' } });
    group = running.pid!;
    let stderr = '';
    running.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const url = await urlOf(running);
    const server = execFileSync('ps', ['-o', 'args=', '-g', String(group)], { encoding: 'utf8' });
    expect(server, 'the server runs as compiled JavaScript under node, not through tsx').toMatch(/node\S* dist\/src\/server\/main\.js/);
    expect(server).not.toContain('tsx');
    expect((await gql(url, '{ stats { ... on Stats { userCount } } }')).data.stats).toEqual({ userCount: 0 });
    // The build that `npm start` runs first bundles the console too: a fresh clone serves it.
    const origin = new URL(url).origin;
    const page = await fetch(`${origin}/console`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/console/console.js');
    const script = await fetch(`${origin}/console/console.js`);
    expect({ status: script.status, type: script.headers.get('content-type') }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });

    running.kill('SIGTERM');
    const [code, signal] = (await once(running, 'exit')) as [number | null, string | null];
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    await expect.poll(() => groupAlive(group!), { timeout: 5000 }).toBe(false);
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  }, 120_000);

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
