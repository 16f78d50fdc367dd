import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp, type App } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Session } from '../src/core/model.js';
import type { Storage } from '../src/core/storage.js';
import { createLeanListener } from '../src/server/lean-http.js';
import { CORPUS, type BadRequest } from './security/corpus.js';
import { KEYS } from './security/setup.js';
import { captureLogs, type LogLine } from './logs.js';

/**
 * The lean HTTP path (LEAN_HTTP=true) and yoga's own (LEAN_HTTP=false) give the same answer to
 * every request: status, status text, headers (in order; only the date and a generated request
 * id may differ) and body.
 */
interface Answer {
  status: string;
  headers: [string, string][];
  body: string;
}

const json = { 'content-type': 'application/json' };
const post = (name: string, body: unknown, headers: Record<string, string> = {}): BadRequest => ({ name, headers: { ...json, ...headers }, body: JSON.stringify(body) });
const SESSION = '{ session(id: "seed") { id title messageCount messages(last: 2) { edges { node { seq role content } } } } }';

/** Well-formed requests and HTTP variations, beside the bad-input corpus. */
const WELL_FORMED: BadRequest[] = [
  post('a query', { query: SESSION }),
  post('a query with variables and an operation name', { query: 'query Q($id: ID!) { session(id: $id) { id } }', variables: { id: 'seed' }, operationName: 'Q' }),
  post('a mutation with a typed error result', { query: 'mutation { appendMessages(sessionId: "none", messages: [{ role: USER, content: "x" }]) { __typename ... on Error { message } } }' }),
  post('an error from a field without a result union', { query: '{ session(id: "seed") { messages(first: 1000) { edges { node { seq } } } } }' }),
  post('a client request id', { query: '{ stats { __typename } }' }, { 'x-request-id': 'client-id-42' }),
  post('a request id that is not an id', { query: '{ stats { __typename } }' }, { 'x-request-id': 'has spaces and is long' }),
  post('Accept: application/json', { query: '{ stats { __typename } }' }, { accept: 'application/json' }),
  post('Accept: application/graphql-response+json', { query: '{ nope }' }, { accept: 'application/graphql-response+json' }),
  post('Accept: both JSON types', { query: '{ nope }' }, { accept: 'application/graphql-response+json, application/json;q=0.9' }),
  post('Accept: */*', { query: '{ stats { __typename } }' }, { accept: '*/*' }),
  post('Accept: text/html only', { query: '{ stats { __typename } }' }, { accept: 'text/html' }),
  post('Accept: JSON in another charset', { query: '{ stats { __typename } }' }, { accept: 'application/json; charset=latin1' }),
  post('a subscription asked for as JSON', { query: 'subscription { sessionEvents { __typename } }' }, { accept: 'application/json' }),
  post('a field named like the keyword', { query: '{ stats { __typename } } # subscription' }),
  post('content type with a charset', { query: '{ stats { __typename } }' }, { 'content-type': 'application/json; charset=utf-8' }),
  post('content type in capitals', { query: '{ stats { __typename } }' }, { 'content-type': 'Application/JSON' }),
  post('content type after a space', { query: '{ stats { __typename } }' }, { 'content-type': ' application/json' }),
  post('an origin', { query: '{ stats { __typename } }' }, { origin: 'https://app.example' }),
  post('an origin not allowed', { query: '{ stats { __typename } }' }, { origin: 'https://evil.example' }),
  post('an unexpected parameter', { query: '{ stats { __typename } }', extra: 1 }),
  post('a null extra parameter', { query: '{ stats { __typename } }', extra: null }),
  post('an operation over the depth limit', { query: `{ session(id: "seed") { ${'forkedFrom { session { '.repeat(8)}id${' } }'.repeat(8)} } }` }),
  post('introspection', { query: '{ __schema { queryType { name } } }' }),
  { name: 'a query string on the endpoint', path: '/graphql?x=1', headers: json, body: JSON.stringify({ query: '{ stats { __typename } }' }) },
  { name: 'a GET query', method: 'GET', path: `/graphql?query=${encodeURIComponent('{ stats { __typename } }')}`, headers: { accept: 'application/json' } },
  { name: 'the health check', method: 'GET', path: '/health' },
  { name: 'another path', path: '/other', headers: json, body: '{}' },
];

const AUTHENTICATED: BadRequest[] = [
  post('no credentials', { query: '{ stats { __typename } }' }),
  post('a wrong key', { query: '{ stats { __typename } }' }, { authorization: 'Bearer wrong' }),
  post('the owner', { query: SESSION }, { authorization: `Bearer ${KEYS.owner}` }),
  post('another owner', { query: SESSION }, { 'x-api-key': KEYS.other }),
  post('an allowed origin', { query: '{ stats { __typename } }' }, { authorization: `Bearer ${KEYS.admin}`, origin: 'https://app.example' }),
  post('an origin not allowed', { query: '{ stats { __typename } }' }, { authorization: `Bearer ${KEYS.admin}`, origin: 'https://evil.example' }),
];

function send(base: string, bad: BadRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = bad.body === undefined ? undefined : Buffer.from(bad.body);
    const headers = { ...bad.headers, ...(body && { 'content-length': String(body.length) }) };
    const req = request(`${base}${bad.path ?? '/graphql'}`, { method: bad.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const given = bad.headers?.['x-request-id'];
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          let value = res.rawHeaders[i + 1]!;
          if (name.toLowerCase() === 'date') value = '<date>';
          if (name.toLowerCase() === 'x-request-id' && value !== given) value = /^[0-9a-f-]{36}$/.test(value) ? '<generated>' : value;
          pairs.push([name, value]);
        }
        resolve({ status: `${res.statusCode} ${res.statusMessage}`, headers: pairs, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A storage whose sessions carry a value that cannot be written as JSON (a BigInt in metadata). */
function withBigInt(): Storage {
  const memory = createMemoryStorage();
  const odd = (session: Session | null) => session && { ...session, metadata: { n: 1n as unknown as number } };
  return { ...memory, getSession: async (id) => odd(await memory.getSession(id)), getSessions: async (ids) => (await memory.getSessions(ids)).map(odd) };
}

async function pair(env: Record<string, string | undefined>, storage: () => Storage = createMemoryStorage) {
  const start = async (lean: boolean) => {
    const config = { ...loadConfig({ ...env, LEAN_HTTP: String(lean) }), shutdownTimeoutMs: 500 };
    const app = createApp({ storage: storage(), config });
    const base = (await app.start(0)).replace(/\/graphql$/, '');
    await app.service.upsertUser({ id: 'u', name: 'U' });
    await app.service.createSession({ id: 'seed', ownerId: 'alice', title: 'Seed', metadata: { k: 'v' }, messages: [{ role: 'USER', content: 'hello' }, { role: 'ASSISTANT', content: 'hi' }] });
    return { app, base };
  };
  return { lean: await start(true), yoga: await start(false) };
}

type Pair = Awaited<ReturnType<typeof pair>>;
const apps: App[] = [];

describe.each([
  { name: 'an open server', env: { CORS_ORIGINS: 'https://app.example' }, requests: [...CORPUS, ...WELL_FORMED] },
  { name: 'a production server', env: { NODE_ENV: 'production' }, requests: [post('introspection', { query: '{ __schema { queryType { name } } }' }), post('a misspelt field', { query: '{ stat { __typename } }' })] },
  { name: 'a server whose storage returns a BigInt', env: {}, storage: withBigInt, requests: [post('a value that cannot be written as JSON', { query: '{ session(id: "seed") { ... on Session { id metadata } } }' }, { 'x-request-id': 'req-json' })] },
  { name: 'a server with API keys', env: { AUTH_MODE: 'apikey', API_KEYS: `alice:${KEYS.owner},bob:${KEYS.other},ops:${KEYS.admin}:admin`, CORS_ORIGINS: 'https://app.example,https://ops.example' }, requests: AUTHENTICATED },
])('the lean HTTP path on $name', ({ env, requests, storage }) => {
  let servers: Pair;
  beforeAll(async () => {
    servers = await pair(env, storage);
    apps.push(servers.lean.app, servers.yoga.app);
  });

  it.each(requests.map((r) => [r.name, r] as const))('%s: the same answer as yoga', async (_name, req) => {
    const yoga = await send(servers.yoga.base, req);
    const lean = await send(servers.lean.base, req);
    expect(lean).toEqual(yoga);
  });
});

describe('the lean HTTP path', () => {
  it('answers a plain JSON POST itself, and leaves the rest to yoga', async () => {
    const app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig({}), shutdownTimeoutMs: 500 } });
    apps.push(app);
    const listener = createLeanListener(app.yoga, { endpoint: '/graphql', maxBodyBytes: 1000 });
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answered = async (req: BadRequest) => {
        const before = { ...listener.answered };
        const { status } = await send(base, req);
        return { status, lean: listener.answered.lean - before.lean, yoga: listener.answered.yoga - before.yoga };
      };
      expect(await answered(post('plain', { query: SESSION }))).toEqual({ status: '200 OK', lean: 1, yoga: 0 });
      expect(await answered(post('a subscription', { query: 'subscription { sessionEvents { __typename } }' }, { accept: 'application/json' }))).toEqual({ status: '406 Not Acceptable', lean: 0, yoga: 1 });
      // Over the listener's limit (the app's own is larger here): yoga's path decides.
      expect(await answered(post('large', { query: SESSION, variables: { x: 'x'.repeat(1000) } }))).toEqual({ status: '200 OK', lean: 0, yoga: 1 });
      expect(await answered({ name: 'broken', headers: json, body: '{"query": ' })).toEqual({ status: '400 Bad Request', lean: 0, yoga: 1 });
      expect(await answered({ name: 'health', method: 'GET', path: '/health' })).toEqual({ status: '200 OK', lean: 0, yoga: 1 });
    } finally {
      server.close();
    }
  });
});

describe('the lean HTTP path, logged and counted', () => {
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  /** A line without what differs from run to run: time, duration, generated ids, stack frames. */
  const comparable = ({ time: _time, durationMs: _duration, ...line }: LogLine) =>
    JSON.parse(JSON.stringify(line, (key, value: unknown) => (key === 'stack' ? '<stack>' : typeof value === 'string' ? value.replace(UUID, '<uuid>') : value))) as unknown;
  /** The request and error counters of /metrics (durations differ from run to run). */
  const counters = async (base: string) =>
    (await (await fetch(`${base}/metrics`)).text()).split('\n').filter((line) => /^parley_graphql_(requests|errors)_total\{/.test(line));

  it('writes the same log lines and counts the same requests as yoga', async () => {
    const start = async (lean: boolean) => {
      const logs = captureLogs('debug');
      const config = { ...loadConfig({ LEAN_HTTP: String(lean), METRICS: 'true', CORS_ORIGINS: 'https://app.example' }), shutdownTimeoutMs: 500 };
      const app = createApp({ storage: withBigInt(), config, logger: logs.logger });
      apps.push(app);
      const base = (await app.start(0)).replace(/\/graphql$/, '');
      await app.service.createSession({ id: 'seed', ownerId: 'alice', title: 'Seed', messages: [{ role: 'USER', content: 'hello' }] });
      return { app, base, logs };
    };
    const [lean, yoga] = [await start(true), await start(false)];
    expect(lean.app.httpPath).toBe('direct');
    const requests = [...CORPUS, ...WELL_FORMED, post('a value that cannot be written as JSON', { query: '{ session(id: "seed") { ... on Session { id metadata } } }' })];
    for (const req of requests) {
      const [before, beforeYoga] = [lean.logs.lines.length, yoga.logs.lines.length];
      await send(lean.base, req);
      await send(yoga.base, req);
      // The request line is written once the answer is: wait for both.
      await expect.poll(() => lean.logs.lines.length > before && yoga.logs.lines.length > beforeYoga).toBe(true);
      const lines = (logs: LogLine[], from: number) => logs.slice(from).map(comparable);
      expect(lines(lean.logs.lines, before), req.name).toEqual(lines(yoga.logs.lines, beforeYoga));
    }
    expect(await counters(lean.base)).toEqual(await counters(yoga.base));
  });
});

describe('the direct lean path', () => {
  it('runs every hook when a plugin it does not know parses requests', async () => {
    const app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig({ LEAN_HTTP: 'true' }), shutdownTimeoutMs: 500 } });
    apps.push(app);
    expect(app.httpPath).toBe('direct');
    const plugins = (app.yoga as unknown as { plugins: (object | false)[] }).plugins.filter((plugin): plugin is object => !!plugin);
    const parsing = plugins.find((plugin) => 'onRequestParse' in plugin)!;
    expect(createLeanListener(app.yoga, { endpoint: '/graphql', maxBodyBytes: 1000, direct: { plugins, inert: [] } }).direct).toBe(false);
    expect(createLeanListener(app.yoga, { endpoint: '/graphql', maxBodyBytes: 1000, direct: { plugins: [parsing], inert: [] } }).direct).toBe(false);
    expect(createLeanListener(app.yoga, { endpoint: '/graphql', maxBodyBytes: 1000, direct: { plugins: [], inert: [] } }).direct).toBe(true);
    expect(createLeanListener(app.yoga, { endpoint: '/graphql', maxBodyBytes: 1000 }).direct).toBe(false);
  });
});

afterAll(() => Promise.all(apps.map((app) => app.stop())));
