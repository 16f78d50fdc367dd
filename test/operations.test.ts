import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startOwnRedis, type OwnRedis } from './live/redis-server.js';
import { parseLines, type LogLine } from './logs.js';

// What an operator sees of a Parley process: its log lines, its start-up line, /ready.
const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };

const ALICE_KEY = 'alice-key-0123456789abcdef';
const OPS_KEY = 'ops-key-fedcba9876543210';
const WRONG_KEY = 'wrong-key-00112233445566';
const A_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJlLW9mLWEtdGVzdA';

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

let running: Server | undefined;
let redis: OwnRedis | undefined;
afterEach(async () => {
  running?.child.kill('SIGKILL');
  running = undefined;
  await redis?.stop();
  redis = undefined;
});

/** src/server/main.ts under node (tsx as a loader), its output a pipe as under systemd or a container. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: '', REDIS_URL: '', NODE_ENV: '', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /is listening on (http:\/\/[^\s"]+\/graphql)/.exec(output);
      if (match?.[1]) (clearInterval(timer), resolve(match[1]));
    }, 20);
    child.once('exit', () => (clearInterval(timer), reject(new Error(`The server stopped before listening: ${output}`))));
  });
  const server: Server = {
    child,
    url,
    output: () => output,
    stop: async () => {
      // 'close', not 'exit': the last lines may still be in the pipe when the process has exited.
      const exited = once(child, 'close') as Promise<[number | null]>;
      child.kill('SIGTERM');
      return (await exited)[0];
    },
  };
  running = server;
  return server;
}

const ask = (url: string, headers: Record<string, string>, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the log of a Parley process whose output is not a terminal', () => {
  it('is one JSON object per line: the start-up line, a line per request with its id, operation and caller, and never a key or a token', async () => {
    const server = await startServer({ AUTH_MODE: 'apikey', API_KEYS: `alice:${ALICE_KEY},ops:${OPS_KEY}:admin` });
    const mine = { query: 'query Mine { sessions { ... on SessionConnection { totalCount } } }', operationName: 'Mine' };
    expect((await ask(server.url, { 'x-api-key': ALICE_KEY, 'x-request-id': 'req-mine' }, mine)).status).toBe(200);
    expect((await ask(server.url, { authorization: `Bearer ${OPS_KEY}`, 'x-request-id': 'req-ops' }, { query: 'mutation Start { createSession(input: {}) { __typename } }' })).status).toBe(200);
    await ask(server.url, { authorization: `Bearer ${WRONG_KEY}`, 'x-request-id': 'req-wrong' }, mine);
    await ask(server.url, { authorization: `Bearer ${A_JWT}`, 'x-request-id': 'req-jwt' }, mine);
    await ask(server.url, { 'x-api-key': ALICE_KEY, 'x-request-id': 'req-typo' }, { query: '{ sesions { __typename } }' });
    expect(await server.stop()).toBe(0);

    const output = server.output();
    const lines = parseLines(output);
    for (const line of lines) {
      expect(line.level, JSON.stringify(line)).toMatch(/^(debug|info|warn|error)$/);
      expect(new Date(line.time).toISOString()).toBe(line.time);
    }
    for (const secret of [ALICE_KEY, OPS_KEY, WRONG_KEY, A_JWT, A_JWT.split('.')[2] as string]) expect(output).not.toContain(secret);

    const started = lines.filter((l) => / is listening on /.test(l.msg));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      level: 'info',
      msg: `Parley ${version} is listening on ${server.url}`,
      version,
      node: process.version,
      storage: 'memory',
      eventBus: 'in-process',
      auth: 'apikey',
      url: server.url,
    });

    const request = (id: string) => lines.filter((l) => l.msg === 'request' && l.requestId === id);
    expect(request('req-mine')).toEqual([
      expect.objectContaining({ level: 'info', method: 'POST', path: '/graphql', status: 200, operation: 'Mine', caller: 'alice', errorCode: null, durationMs: expect.any(Number) }),
    ]);
    expect(request('req-ops')).toEqual([expect.objectContaining({ caller: 'ops', operation: 'Start', status: 200 })]);
    // A client's mistakes are logged at info, with what went wrong, and no caller for a bad credential.
    expect(request('req-wrong')).toEqual([expect.objectContaining({ level: 'info', status: 401, caller: null, errorCode: 'UNAUTHENTICATED' })]);
    expect(request('req-jwt')).toEqual([expect.objectContaining({ level: 'info', status: 401, caller: null, errorCode: 'UNAUTHENTICATED' })]);
    expect(request('req-typo')).toEqual([expect.objectContaining({ level: 'info', status: 200, caller: 'alice', errorCode: 'GRAPHQL_VALIDATION_FAILED' })]);
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'stopped' });
  }, 60_000);

  it('is text for a developer with LOG_FORMAT=pretty: level and message first, each field on a line of its own', async () => {
    const server = await startServer({ LOG_FORMAT: 'pretty' });
    await ask(server.url, { 'x-request-id': 'req-pretty' }, { query: '{ __typename }' });
    expect(await server.stop()).toBe(0);
    const output = server.output();
    expect(() => parseLines(output)).toThrow(/not a JSON log line/);
    expect(output).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] INFO: Parley ${version.replaceAll('.', '\\.')} is listening on ${server.url}$`, 'm'));
    expect(output).toMatch(/^ {4}requestId: "req-pretty"$/m);
    expect(output).toMatch(/INFO: stopped$/m);
  }, 60_000);
});

describe('/ready of a Parley process with REDIS_URL', () => {
  const ready = async (url: string) => {
    const response = await fetch(url.replace(/\/graphql$/, '/ready'));
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const health = async (url: string) => (await fetch(url.replace(/\/graphql$/, '/health'))).status;
  /** /ready's answer once `done` holds of it, or the last one after `ms`. */
  const readyUntil = async (url: string, done: (status: number) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const now = await ready(url);
      if (done(now.status) || Date.now() > deadline) return now;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('answers 503 naming the event bus while its Redis is down, 200 again once it is back; /health answers 200 throughout', async () => {
    redis = await startOwnRedis();
    const server = await startServer({ REDIS_URL: redis.url, LOG_LEVEL: 'debug' });
    const up = { status: 200, body: { status: 'ready', checks: { storage: 'ok', eventBus: 'ok' } } };
    expect(await readyUntil(server.url, (s) => s === 200, 10_000)).toEqual(up);

    await redis.kill();
    expect(await readyUntil(server.url, (s) => s !== 200, 10_000)).toEqual({ status: 503, body: { status: 'unavailable', checks: { storage: 'ok', eventBus: 'unreachable' } } });
    expect(await health(server.url)).toBe(200);

    await redis.restart();
    expect(await readyUntil(server.url, (s) => s === 200, 15_000)).toEqual(up);
    expect(await health(server.url)).toBe(200);
    expect(await server.stop()).toBe(0);

    const lines: LogLine[] = parseLines(server.output());
    expect(lines.find((l) => / is listening on /.test(l.msg))).toMatchObject({ eventBus: 'redis' });
    expect(lines.some((l) => l.level === 'warn' && l.msg === 'readiness check failed: the event bus has lost Redis')).toBe(true);
    // The probes are logged at debug only, so that a load balancer asking every second does not fill the log.
    expect(lines.filter((l) => l.msg === 'request' && l.path === '/ready').map((l) => l.level)).toEqual(expect.arrayContaining(['debug']));
    expect(lines.filter((l) => l.msg === 'request' && l.path === '/ready' && l.level !== 'debug')).toEqual([]);
  }, 60_000);
});
