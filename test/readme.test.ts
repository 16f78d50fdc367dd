import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { App } from '../src/server/app.js';
import { schema } from '../src/graphql/schema/index.js';
import { createTestClient } from './api/client.js';
import { startApp, type Running } from './live/helpers.js';
import { atUrl, blocks, commands, hasSystemdAnalyze, isParley, isProductionStart, productionCommand, readme, root, runParley, runParleyServe, runProgram, runSnippet, staticCheck, typeCheck, unitValues, verifyUnit } from './readme-runner.js';
import { parseLines } from './logs.js';

const start = readme.indexOf('## A first conversation in GraphiQL');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const operations = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/** Every `message` in a result: only the `... on Error { message }` fragments select one. */
function errorMessages(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'message' && typeof v === 'string' ? [v] : errorMessages(v)));
}

describe('the README walk-through', () => {
  it('has the operations a new user pastes into GraphiQL', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
  });

  it('runs each of them, in order, without an error', async () => {
    const { app } = createTestClient();
    const results = await walkThrough(app);
    expect(results[4]).toMatchObject({ mergeSessions: { mergedFrom: ['lisbon-trip', 'lisbon-retry'], messageCount: 4 } });
    expect(results[7]).toMatchObject({ sessions: { totalCount: 3 } });
  });
});

async function post(app: App, query: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await app.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

/** Runs the walk-through's operations in order, as a new user does, and gives their data. */
async function walkThrough(app: App): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const query of operations) {
    const body = await post(app, query);
    expect(body.errors, query).toBeUndefined();
    expect(errorMessages(body.data), query).toEqual([]);
    results.push(body.data);
  }
  return results;
}

/** Deletes every session, which completes the subscriptions a snippet is waiting on. */
async function deleteAllSessions(app: App): Promise<void> {
  const { data } = (await post(app, '{ sessions(first: 100) { ... on SessionConnection { edges { node { id } } } } }')) as {
    data: { sessions: { edges: { node: { id: string } }[] } };
  };
  for (const { node } of data.sessions.edges) await post(app, `mutation { deleteSession(id: "${node.id}") { __typename } }`);
}

/** A snippet runs in a process of its own (tsx, Apollo, urql to load): generous on a loaded machine. */
const PROCESS_TIMEOUT_MS = 45_000;

describe('every code block of the README (graphql aside: see above and below)', () => {
  let server: Running | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  /** A Parley on a free port where the walk-through has been run, as a reader of the README has one. */
  async function readerServer(): Promise<Running> {
    server = await startApp();
    await walkThrough(server.app);
    return server;
  }
  const mongo = inject('mongo');

  it('type-checks its TypeScript blocks as written (tsc --strict, NodeNext, as files at the project root)', async () => {
    const outcome = await typeCheck(blocks().filter((b) => b.lang === 'ts').map((b) => b.code));
    expect(outcome.stdout + outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
  }, PROCESS_TIMEOUT_MS);

  for (const { lang, code, line } of blocks().filter((b) => b.lang !== 'graphql')) {
    const where = `README.md:${line} (${lang})`;
    if (lang === 'ts' || lang === 'js') {
      const needsMongo = code.includes('MONGODB_URI');
      const title = `${where} runs with tsx against a Parley on a free port (only the URL substituted), exits 0 and prints no error`;
      if (needsMongo && !mongo.uri) {
        it.skip(`${title} (SKIPPED, needs MongoDB: ${mongo.description})`, () => {});
        continue;
      }
      it(title, async () => {
        const { app, url } = await readerServer();
        const env: Record<string, string> = {};
        if (needsMongo) Object.assign(env, { MONGODB_URI: mongo.uri as string, MONGODB_DB: `parley_test_${randomBytes(6).toString('hex')}` });
        try {
          const outcome = await runSnippet(atUrl(code, new URL(url).origin), lang, { env, whenQuiet: () => deleteAllSessions(app) });
          expect(outcome, code).toMatchObject({ exitCode: 0, stderr: '' });
          expect(outcome.stdout, 'a snippet that prints nothing shows nothing ran').not.toBe('');
        } finally {
          if (env.MONGODB_DB) await MongoClient.connect(env.MONGODB_URI as string).then(async (c) => (await c.db(env.MONGODB_DB).dropDatabase(), await c.close()));
        }
      }, PROCESS_TIMEOUT_MS);
    } else if (lang === 'sh') {
      for (const command of commands(code)) {
        if (isParley(command)) {
          it(`${where} \`${command}\`: run in order by "the README's parley walk-through" below`, () => {
            expect(parleyCommands).toContain(command);
          });
          continue;
        }
        if (isProductionStart(command)) {
          it(`${where} \`${command}\`: run by "the README's production start" below`, () => {
            expect(productionStarts).toContain(command);
          });
          continue;
        }
        if (command.startsWith('curl ')) {
          it(`${where} \`${command.slice(0, 40)}…\` runs against a Parley on a free port (only the URL substituted) and gets data`, async () => {
            const { app, url } = await readerServer();
            const outcome = await runProgram(['bash', '-c', atUrl(command, new URL(url).origin)], { whenQuiet: () => deleteAllSessions(app) });
            expect(outcome.exitCode, outcome.stdout + outcome.stderr).toBe(0);
            expect(outcome.stdout).toContain('"data"');
            expect(outcome.stdout).not.toContain('"errors"');
          }, PROCESS_TIMEOUT_MS);
          continue;
        }
        const check = staticCheck(command);
        it(`${where} \`${command}\`: ${check?.what ?? 'no check known for this command'} (not run by the test)`, () => {
          expect(check, `teach test/readme-runner.ts to check \`${command}\``).not.toBeNull();
          expect(check?.ok).toBe(true);
        });
      }
    } else if (lang === 'ini') {
      it(`${where} is a systemd unit whose ExecStart is what \`npm start\` runs once built, in a WorkingDirectory, given time to stop`, () => {
        const [exec, ...more] = unitValues(code, 'ExecStart');
        expect(more).toEqual([]);
        expect(exec).toMatch(/^\/\S+\/node /);
        expect(exec?.replace(/^\S+\/node /, 'node ')).toBe(productionCommand());
        expect(unitValues(code, 'WorkingDirectory')).toHaveLength(1);
        const environment = unitValues(code, 'Environment').join(' ');
        expect(environment).toContain('NODE_ENV=production');
        const shutdownMs = Number(/SHUTDOWN_TIMEOUT_MS=(\d+)/.exec(environment)?.[1] ?? 10_000);
        expect(Number(unitValues(code, 'TimeoutStopSec')[0]) * 1000).toBeGreaterThan(shutdownMs);
      });
      const verify = `${where} passes \`systemd-analyze verify\``;
      if (!hasSystemdAnalyze) it.skip(`${verify} (SKIPPED: systemd-analyze is not installed)`, () => {});
      else
        it(verify, async () => {
          const outcome = await verifyUnit(code);
          expect(outcome.stdout + outcome.stderr).toBe('');
          expect(outcome.exitCode).toBe(0);
        }, PROCESS_TIMEOUT_MS);
    } else if (lang === 'json') {
      it(`${where} is valid JSON`, () => expect(() => JSON.parse(code)).not.toThrow());
    } else {
      it(`${where} has a language the runner knows (ts, js, sh, json, ini, graphql)`, () => expect(lang).toBe('one of ts, js, sh, json, ini, graphql'));
    }
  }
});

const productionStarts = blocks()
  .filter((b) => b.lang === 'sh')
  .flatMap((b) => commands(b.code))
  .filter(isProductionStart);

describe("the README's production start", () => {
  it('is one command: what `npm start` runs once built, with NODE_ENV=production', () => {
    expect(productionStarts).toHaveLength(1);
    expect(productionStarts[0]).toMatch(/^(?:[A-Z_]+=\S*\s+)*node /);
    expect(productionStarts[0]?.replace(/^(?:[A-Z_]+=\S*\s+)*/, '')).toBe(productionCommand());
    expect(productionStarts[0]).toMatch(/(?:^|\s)NODE_ENV=production\s/);
  });

  it('`npm run build`, then that command (PORT=0, HOST=127.0.0.1 substituted): GraphiQL, console and introspection off, ready, and SIGTERM stops it with exit 0', async () => {
    const build = await runProgram(['npm', 'run', 'build'], { timeoutMs: 150_000 });
    expect(build.exitCode, build.stdout + build.stderr).toBe(0);
    const words = (productionStarts[0] as string).split(/\s+/);
    const env = Object.fromEntries(words.filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
    const argv = words.filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
    const child = spawn(argv[0] === 'node' ? process.execPath : (argv[0] as string), argv.slice(1), {
      cwd: root,
      env: { ...process.env, REDIS_URL: '', MONGODB_URI: '', LOG_FORMAT: '', ...env, PORT: '0', HOST: '127.0.0.1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    // 'close', not 'exit': the last lines may still be in the pipe when the process has exited.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /is listening on (http:\/\/[^\s"]+\/graphql)/.exec(output);
          if (match?.[1]) (clearInterval(timer), resolve(match[1]));
        }, 20);
        void exited.then(() => (clearInterval(timer), reject(new Error(`stopped before listening: ${output}`))));
      });
      expect(parseLines(output)[0]).toMatchObject({ graphiql: false, console: false, storage: 'memory' });
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);
      expect((await fetch(new URL('/console', url))).status).toBe(404);
      const introspection = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }) });
      const schemaAnswer = (await introspection.json()) as { data?: unknown; errors?: unknown[] };
      expect(schemaAnswer.data ?? null).toBeNull();
      expect(schemaAnswer.errors?.length).toBeGreaterThan(0);
      expect((await fetch(new URL('/ready', url))).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(parseLines(output).at(-1)).toMatchObject({ level: 'info', msg: 'stopped' });
    } finally {
      child.kill('SIGKILL');
    }
  }, 180_000);
});

const parleyStart = readme.indexOf('## The parley command');
const parleySection = readme.slice(parleyStart, readme.indexOf('\n## ', parleyStart + 1));
const parleyCommands = [...parleySection.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => commands(m[1] as string));

describe("the README's parley walk-through", () => {
  let server: Running | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('has the commands of a migration and a chat, all of them parley commands', () => {
    expect(parleyCommands.length).toBeGreaterThanOrEqual(10);
    expect(parleyCommands.filter((c) => !isParley(c))).toEqual([]);
    for (const verb of ['serve', 'import', 'sessions', 'use', 'show', 'export', 'export-all', 'chat']) {
      expect(parleyCommands.some((c) => c.includes(`npx parley ${verb} `) || c.endsWith(`npx parley ${verb}`))).toBe(true);
    }
  });

  it('`npx parley --help` works in the clone, with no build: npx runs the bin package.json names', async () => {
    const outcome = await runProgram(['npx', '--no-install', 'parley', '--help'], {});
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/^Usage: parley \[options\] \[command\]/);
  }, PROCESS_TIMEOUT_MS);

  it('`… npx parley serve` starts a Parley (PORT=0 added) that a Ctrl-C stops with exit 0', async () => {
    const serve = parleyCommands.filter((c) => / npx parley serve$|^npx parley serve$/.test(c));
    expect(serve).toHaveLength(1);
    const outcome = await runParleyServe(serve[0] as string);
    expect(outcome.listened, outcome.stdout + outcome.stderr).toBe(true);
    expect(parseLines(outcome.stdout + outcome.stderr).find((l) => / is listening on /.test(l.msg))).toMatchObject({ model: expect.stringMatching(/^echo/) });
    expect(outcome.exitCode).toBe(0);
  }, PROCESS_TIMEOUT_MS);

  it('runs every other command in order against a Parley with the echo provider, in a folder holding sessions/ (the files of test/fixtures/)', async () => {
    const { createEchoProvider } = await import('../providers/echo/index.js');
    server = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 5 }) });
    const cwd = mkdtempSync(join(tmpdir(), 'parley-readme-'));
    mkdirSync(join(cwd, 'sessions'));
    for (const file of ['sdk-session.json', 'chat-messages.json']) copyFileSync(join(root, 'test/fixtures', file), join(cwd, 'sessions', file));
    const env = { PARLEY_URL: server.url, XDG_CONFIG_HOME: join(cwd, 'config') };
    const out = new Map<string, string>();
    for (const command of parleyCommands.filter((c) => !c.endsWith('npx parley serve'))) {
      const outcome = await runParley(command, { cwd, env });
      expect(outcome.exitCode, `${command}\n${outcome.stderr}`).toBe(0);
      expect(outcome.stderr, command).not.toMatch(/^parley: /m);
      out.set(command, outcome.stdout);
    }
    const of = (start: string) => [...out].find(([c]) => c.startsWith(start))?.[1] ?? '';
    // What the README shows is what a reader sees.
    expect(parleySection).toContain(`\n${of('npx parley import')}`);
    expect(of('npx parley sessions --meta')).toMatch(/^\{"id":"5f3e9a7b-6c1d-4d8e-9e7a-9b8c7d6e5f4a",.*"title":"Installer trouble"/);
    expect(of('npx parley show')).toMatch(/#3 USER: Debian 12, 64-bit.\n$/);
    expect(JSON.parse(readFileSync(join(cwd, 'installer.json'), 'utf8'))).toMatchObject({ id: '5f3e9a7b-6c1d-4d8e-9e7a-9b8c7d6e5f4a', title: 'Installer trouble' });
    const train = readFileSync(join(cwd, 'train.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { messages: { role: string }[] });
    expect(train).toHaveLength(2);
    expect(train.find((l) => l.messages.length === 4)?.messages[0]).toEqual({ role: 'system', content: 'You are a concise travel assistant.' });
    expect(readFileSync(join(cwd, 'backup.jsonl'), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { format: string }).format)).toEqual(['parley.session', 'parley.session']);
    const piped = of('echo ');
    expect(piped).toMatch(/^Echo: Tell me about the trams of Lisbon\nSession \S+\n$/);
    expect(parleySection).toContain(piped.split('\n')[0]);
  }, 120_000);
});

describe('every GraphQL example of the README', () => {
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  it.each(blocks.map((b) => [b.split('\n')[0] as string, b] as const))('is valid against the schema: %s', (_first, block) => {
    expect(validate(schema, parse(block)).map((e) => e.message)).toEqual([]);
  });
});

describe("the README's runs walk-through, with the echo provider", () => {
  const start = readme.indexOf("## Runs: the model's reply");
  const part = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const [talk, follow, stop] = [...part.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  let server: Running | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  /** The runEvents of a subscription over SSE, as they arrive; stops reading after `count` when given. */
  async function sse(url: string, query: string, count = Infinity): Promise<{ offset: number; type: string; text: string | null; run: { status: string } | null }[]> {
    const controller = new AbortController();
    const response = await fetch(url, { method: 'POST', signal: controller.signal, headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query }) });
    const events: { offset: number; type: string; text: string | null; run: { status: string } | null }[] = [];
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(chunk, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const data = /^data: (.+)$/m.exec(buffered.slice(0, end))?.[1];
        buffered = buffered.slice(end + 2);
        const event = data ? (JSON.parse(data) as { data?: { runEvents: (typeof events)[number] } }).data?.runEvents : undefined;
        if (event) events.push(event);
      }
      if (events.length >= count) break;
    }
    await reader.cancel().catch(() => {});
    controller.abort();
    return events.slice(0, count);
  }

  it('sends a message, follows the reply, resumes it after a reload with afterOffset, and cancels it', async () => {
    const { createEchoProvider } = await import('../providers/echo/index.js');
    server = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 150 }) });
    const talked = await post(server.app, talk as string);
    expect(errorMessages(talked.data)).toEqual([]);
    const runId = (talked.data as { sendMessage: { run: { id: string } } }).sendMessage.run.id;
    const followOf = (after: number) => (follow as string).replace('RUN_ID', runId).replace('afterOffset: 0', `afterOffset: ${after}`);
    // The first tab sees the start of the reply, then reloads.
    const before = await sse(server.url, followOf(0), 2);
    expect(before.map((e) => [e.offset, e.type])).toEqual([[1, 'DELTA'], [2, 'DELTA']]);
    const resumed = sse(server.url, followOf(2));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = await post(server.app, (stop as string).replace('RUN_ID', runId));
    expect(stopped.data).toMatchObject({ cancelRun: { status: 'CANCELLED' } });
    const after = await resumed;
    const all = [...before, ...after];
    expect(all.map((e) => e.offset)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)).toMatchObject({ type: 'END', run: { status: 'CANCELLED' } });
    expect(all.slice(0, -1).map((e) => e.text).join('')).toMatch(/^Echo: Tell me/);
  });
});
