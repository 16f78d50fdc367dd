import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasLine } from './logs.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// Every value below that holds a secret: none of them may appear in anything the server prints.
const JWT_SECRET = 'jwt-secret-too-short';
const GOOD_JWT_SECRET = 'jwt-secret-long-enough-0123456789abcdef';
const REDIS_PASSWORD = 'redis-pass-1';
const MONGO_PASSWORD = 'mongo-pass-2';
const API_KEY = 'apikey-3-alice-0123';
const JWKS_PASSWORD = 'jwks-pass-4';
const FILE_KEY = 'file-key-5-carol-0123';
const SECRETS = [JWT_SECRET, GOOD_JWT_SECRET, REDIS_PASSWORD, MONGO_PASSWORD, API_KEY, JWKS_PASSWORD, FILE_KEY];
const leaks = (output: string) => SECRETS.filter((secret) => output.includes(secret));

interface Run {
  /** Resolves with what was printed so far once a line matches. */
  waitFor(line: RegExp): Promise<string>;
  /** SIGTERM, then the exit code and everything printed. */
  stop(): Promise<{ code: number | null; output: string }>;
  exited: Promise<{ code: number | null; output: string }>;
}

/** Starts src/server/main.ts (node, tsx as a loader) with these variables only on top of PATH and the like. */
function startServer(env: Record<string, string>): Run {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(REDIS_URL|MONGODB_URI|MONGODB_DB|AUTH_MODE|API_KEYS.*|JWT_.*)$/.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env: { ...base, LOG_LEVEL: 'debug', ...env } });
  let output = '';
  const waiters: { line: RegExp; resolve: (output: string) => void }[] = [];
  const onData = (chunk: unknown) => {
    output += String(chunk);
    for (const waiter of waiters.splice(0)) (waiter.line.test(output) ? waiter.resolve(output) : waiters.push(waiter));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: code as number | null, output };
  });
  return {
    exited,
    waitFor: (line) =>
      line.test(output)
        ? Promise.resolve(output)
        : Promise.race([new Promise<string>((resolve) => waiters.push({ line, resolve })), exited.then(() => Promise.reject(new Error(`exited before ${line}:\n${output}`)))]),
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function keyFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parley-keys-')), 'keys.json');
  writeFileSync(file, content);
  return file;
}

describe('the server never prints a secret', () => {
  it('names every bad variable in one line, with no secret and no password, and exits 1', async () => {
    const { code, output } = await startServer({
      PORT: 'eighty',
      AUTH_MODE: 'jwt',
      JWT_SECRET,
      JWT_JWKS_URL: `ftp://jwks:${JWKS_PASSWORD}@keys.example/jwks.json`,
      REDIS_URL: `http://parley:${REDIS_PASSWORD}@cache.example:6379`,
      MONGODB_URI: `mysql://app:${MONGO_PASSWORD}@db.example/parley`,
      API_KEYS: `alice:${API_KEY},bob`,
      API_KEYS_FILE: keyFile(`${FILE_KEY}\n`),
      MAX_PAGE_SIZE: '10',
    }).exited;
    expect(code).toBe(1);
    expect(leaks(output)).toEqual([]);
    const lines = output.trim().split('\n');
    expect(lines, output).toHaveLength(1);
    const [line] = lines as [string];
    expect(line).toMatch(/^Invalid environment: /);
    for (const name of ['PORT', 'JWT_SECRET', 'JWT_JWKS_URL', 'REDIS_URL', 'MONGODB_URI', 'API_KEYS', 'API_KEYS_FILE', 'defaultPageSize']) expect(line).toContain(name);
    expect(line).toContain('PORT="eighty"');
    expect(line).toContain('REDIS_URL="http://parley:***@cache.example:6379"');
    expect(line).toContain('MONGODB_URI="mysql://app:***@db.example/parley"');
    expect(line).toContain('JWT_JWKS_URL="ftp://jwks:***@keys.example/jwks.json"');
  });

  it('prints no password or key while it starts, runs and stops', async () => {
    const server = startServer({
      PORT: '0',
      AUTH_MODE: 'apikey',
      API_KEYS: `alice:${API_KEY}`,
      API_KEYS_FILE: keyFile(JSON.stringify([{ key: FILE_KEY, ownerId: 'carol' }])),
      JWT_SECRET: GOOD_JWT_SECRET,
      JWT_JWKS_URL: `https://jwks:${JWKS_PASSWORD}@keys.example/jwks.json`,
      // The real Redis refuses these credentials: the event bus logs why, at debug level.
      REDIS_URL: `redis://parley:${REDIS_PASSWORD}@127.0.0.1:6379?password=${REDIS_PASSWORD}`,
    });
    await server.waitFor(/"auth":"apikey".*"msg":"Parley \S+ is listening on /);
    await server.waitFor(/event bus: Redis .*connection problem/);
    const { output } = await server.stop();
    expect(hasLine(output, 'info', /^stopped$/), output).toBe(true);
    expect(leaks(output)).toEqual([]);
  });

  it('prints no MongoDB password while it waits for MongoDB, one with a percent-encoded @ included', async () => {
    const server = startServer({ PORT: '0', MONGODB_URI: `mongodb://app:${encodeURIComponent(`mongo@${MONGO_PASSWORD}`)}@127.0.0.1:1/parley` });
    const output = await server.waitFor(/MongoDB at .* is not reachable \(attempt 1\)/);
    await server.stop();
    expect(leaks(output)).toEqual([]);
    expect(output).toMatch(/MongoDB at mongodb:\/\/app:\*\*\*@127\.0\.0\.1:1\/parley is not reachable/);
  });

  it('exits at once, printing no password, on a connection string with an unescaped @, which no retry mends', async () => {
    const server = startServer({ PORT: '0', MONGODB_URI: `mongodb://app:mongo@${MONGO_PASSWORD}@127.0.0.1:1/parley` });
    const { code, output } = await server.exited;
    expect(code).toBe(1);
    expect(leaks(output)).toEqual([]);
    expect(output).not.toMatch(/not reachable/);
    expect(output).toMatch(/Not a valid MongoDB connection string: .*percent-encoded/);
  });
});
