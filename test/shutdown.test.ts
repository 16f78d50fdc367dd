import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { stopWithin } from '../src/server/shutdown.js';
import { startOwnRedis, type OwnRedis } from './live/redis-server.js';
import { hasLine } from './logs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 1500;
/** Start-up of the process itself and the exit after the deadline, on a loaded machine. */
const MARGIN_MS = 3000;

let server: ChildProcessWithoutNullStreams | undefined;
let redis: OwnRedis | undefined;
afterEach(async () => {
  server?.kill('SIGKILL');
  server = undefined;
  await redis?.stop();
  redis = undefined;
});

/** The server under plain node (tsx as a loader), so that signals reach it and not a wrapper. */
async function startServer(redisUrl: string): Promise<{ process: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', REDIS_URL: redisUrl, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
  });
  server = child;
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
      if (match?.[1]) (clearInterval(timer), resolve(match[1]));
    }, 20);
    child.once('exit', () => (clearInterval(timer), reject(new Error(`The server stopped before listening: ${output}`))));
  });
  await untilReady(url);
  return { process: child, output: () => output };
}

/** Waits until /ready answers 200: storage and the event bus (connected to Redis) are up. */
async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await fetch(url.replace(/\/graphql$/, '/ready'))).status !== 200) {
    if (Date.now() > deadline) throw new Error('/ready did not answer 200 within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends SIGTERM and waits for the exit, failing if it takes longer than the whole stop may. */
async function terminate(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const limit = SHUTDOWN_TIMEOUT_MS + MARGIN_MS;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running ${limit} ms after SIGTERM`)), limit));
  const [code] = await Promise.race([exited, timeout]);
  return code;
}

describe('SIGTERM with REDIS_URL set', () => {
  it('exits 0 when Redis is up', async () => {
    redis = await startOwnRedis();
    const { process: child, output } = await startServer(redis.url);
    expect(await terminate(child)).toBe(0);
    expect(hasLine(output(), 'info', /^stopped$/), output()).toBe(true);
  });

  it('exits 0 when Redis went away (nothing is left to flush)', async () => {
    redis = await startOwnRedis();
    const { process: child, output } = await startServer(redis.url);
    await redis.kill();
    expect(await terminate(child)).toBe(0);
    expect(hasLine(output(), 'info', /^stopped$/), output()).toBe(true);
  });

  it('gives up on a Redis that does not answer after SHUTDOWN_TIMEOUT_MS, says so, and exits 1', async () => {
    redis = await startOwnRedis();
    const { process: child, output } = await startServer(redis.url);
    redis.pause();
    expect(await terminate(child)).toBe(1);
    expect(hasLine(output(), 'error', /^stop gave up after 1500 ms on: the event bus \(Redis\)/), output()).toBe(true);
    expect(hasLine(output(), 'info', /^stopped$/)).toBe(false);
  });
});

describe('SIGTERM with a subscription open over SSE', () => {
  it('ends the stream, which never finishes by itself, rather than waiting for the deadline: exits 0', async () => {
    redis = await startOwnRedis();
    const { process: child, output } = await startServer(redis.url);
    const url = /listening on (http:\/\/[^\s"]+\/graphql)/.exec(output())?.[1] as string;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { sessionEvents { type } }' }),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the stream has started
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return 'ended';
    })().catch(() => 'cut');
    expect(await terminate(child)).toBe(0);
    expect(await ended).toMatch(/^(ended|cut)$/);
    expect(hasLine(output(), 'info', /^stopped$/), output()).toBe(true);
  });
});

describe('stopWithin', () => {
  it('runs every step, reporting one that fails without skipping the next', async () => {
    const ran: string[] = [];
    const outcome = await stopWithin(1000, [
      { name: 'a', run: async () => void ran.push('a') },
      { name: 'b', run: () => Promise.reject(new Error('boom')) },
      { name: 'c', run: async () => void ran.push('c') },
    ]);
    expect(ran).toEqual(['a', 'c']);
    expect(outcome).toEqual({ clean: false, gaveUpOn: [], failed: [{ name: 'b', error: new Error('boom') }] });
  });

  it('gives up at the deadline on the step still running and those after it', async () => {
    const outcome = await stopWithin(100, [
      { name: 'quick', run: async () => {} },
      { name: 'stuck', run: () => new Promise(() => {}) },
      { name: 'after', run: async () => {} },
    ]);
    expect(outcome).toEqual({ clean: false, gaveUpOn: ['stuck', 'after'], failed: [] });
  });
});
