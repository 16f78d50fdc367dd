import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { httpFetch, LEAN_HTTP } from '../http-path.js';

const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

function appWith(env: Record<string, string> = {}): App {
  const app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig({ LEAN_HTTP, ...env }), shutdownTimeoutMs: 500 } });
  apps.push(app);
  return app;
}

async function post(app: App, body: unknown, headers: Record<string, string> = {}) {
  const response = await httpFetch(app, 'http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const nest = (depth: number): string => (depth === 0 ? 'id' : `owner { sessions { ... on SessionConnection { edges { node { ${nest(depth - 1)} } } } } }`);

describe('limits on the shape of operations', () => {
  it('rejects operations that are too deep, too aliased, too directed, too long or too costly, with a code', async () => {
    const app = appWith({ MAX_QUERY_DEPTH: '6', MAX_ALIASES: '3', MAX_DIRECTIVES: '3', MAX_TOKENS: '200', MAX_QUERY_COST: '100' });
    const cases: [RegExp, string][] = [
      [/^Query depth limit of 6 exceeded/, `{ session(id: "x") { ${nest(3)} } }`],
      [/^Aliases limit of 3 exceeded/, `{ a: stats { __typename } b: stats { __typename } c: stats { __typename } d: stats { __typename } }`],
      [/^Directives limit of 3 exceeded/, '{ stats @include(if: true) @include(if: true) @skip(if: false) @skip(if: false) { __typename } }'],
      [/^Token limit of 200 exceeded/, `{ ${Array.from({ length: 120 }, (_, i) => `f${i}: __typename`).join(' ')} }`],
      [
        /^Query Cost limit of 100 exceeded/,
        '{ sessions { ... on SessionConnection { edges { node { id title model preview metadata context stats { messageCount exchangeCount durationMs messagesByRole { user assistant system tool } } } } } } }',
      ],
    ];
    for (const [limit, query] of cases) {
      const { body } = await post(app, { query });
      expect(body.errors?.[0]?.message).toMatch(limit);
      expect(body.errors?.[0]?.extensions?.code, `${limit}: ${JSON.stringify(body)}`).toBe('QUERY_TOO_COMPLEX');
      expect(body.data, String(limit)).toBeUndefined();
    }
    expect((await post(app, { query: '{ stats { __typename } }' })).body.data).toEqual({ stats: { __typename: 'Stats' } });
  });

  it('keeps batching off', async () => {
    const { status, body } = await post(appWith(), [{ query: '{ stats { __typename } }' }, { query: '{ stats { __typename } }' }]);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Batching is not supported/);
  });

  it('turns introspection and GraphiQL off in production, and hides field suggestions then', async () => {
    const prod = appWith({ NODE_ENV: 'production' });
    const introspection = await post(prod, { query: '{ __schema { queryType { name } } }' });
    expect(introspection.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/introspection has been disabled/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect((await post(prod, { query: '{ stat { __typename } }' })).body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await httpFetch(prod, 'http://parley.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<title>Parley</title>');
    const dev = appWith();
    expect((await post(dev, { query: '{ __schema { queryType { name } } }' })).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('answers CORS for configured origins only', async () => {
    const preflight = (app: App, origin: string) =>
      httpFetch(app, 'http://parley.test/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const closed = await preflight(appWith(), 'https://app.example');
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const open = appWith({ CORS_ORIGINS: 'https://app.example' });
    expect((await preflight(open, 'https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect([null, 'https://app.example']).toContain((await preflight(open, 'https://evil.example')).headers.get('access-control-allow-origin'));
  });
});

describe('the cross-site request policy', () => {
  const QUERY = '{ sessions { ... on SessionConnection { totalCount } } }';
  const CREATE = 'mutation { createSession(input: { title: "forged" }) { ... on Session { id } } }';
  const get = (app: App, query: string, headers: Record<string, string> = {}) =>
    httpFetch(app, `http://parley.test/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json', ...headers } });
  const sessionCount = async (app: App) => ((await post(app, { query: QUERY })).body.data as { sessions: { totalCount: number } }).sessions.totalCount;

  it('runs a query sent with GET and no extra header, as urql and GraphiQL send it', async () => {
    const response = await get(appWith(), QUERY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { sessions: { totalCount: 0 } } });
  });

  it('never runs a mutation sent with GET, even one the server has parsed before', async () => {
    const app = appWith();
    expect((await post(app, { query: CREATE })).status).toBe(200);
    for (const headers of [{}, { 'x-graphql-yoga-csrf': '1' }] as Record<string, string>[]) {
      const response = await get(app, CREATE, headers);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(((await response.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/mutation operation from a POST request/);
    }
    expect(await sessionCount(app)).toBe(1);
  });

  it('refuses every POST a browser could send cross-site without a preflight, and writes nothing', async () => {
    const app = appWith();
    const json = JSON.stringify({ query: CREATE });
    const simple: [string | undefined, string][] = [
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(CREATE)}`],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${CREATE}\r\n--x--\r\n`],
      ['text/plain', json],
      ['text/plain;charset=UTF-8', json],
      ['Text/Plain', json],
      [undefined, json],
    ];
    for (const [type, body] of simple) {
      for (const extra of [{}, { 'x-graphql-yoga-csrf': '1' }] as Record<string, string>[]) {
        const response = await httpFetch(app, 'http://parley.test/graphql', { method: 'POST', headers: { ...(type && { 'content-type': type }), ...extra }, body });
        expect(response.status, `${type}`).toBe(415);
        const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(answer.errors[0], `${type}`).toMatchObject({ message: expect.stringMatching(/application\/json/), extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
      }
    }
    expect(await sessionCount(app)).toBe(0);
  });

  it('runs a mutation sent as a JSON POST without any extra header', async () => {
    const app = appWith();
    const { status, body } = await post(app, { query: CREATE });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ createSession: { id: expect.any(String) } });
    expect(await sessionCount(app)).toBe(1);
  });

  it('streams a subscription over Server-Sent Events on a plain GET, as GraphiQL subscribes', async () => {
    const app = appWith();
    const created = (await post(app, { query: 'mutation { createSession(input: { id: "live", messages: [{ role: USER, content: "hi" }] }) { __typename } }' })).body;
    expect(created.data).toEqual({ createSession: { __typename: 'Session' } });
    const response = await httpFetch(app, 
      `http://parley.test/graphql?query=${encodeURIComponent('subscription { messageAdded(sessionId: "live", afterSeq: 0) { seq content } }')}`,
      { headers: { accept: 'text/event-stream' } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n') || !text.includes('event: next')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain('data: {"data":{"messageAdded":{"seq":1,"content":"hi"}}}');
  });

  it('answers a cross-site GET anonymous: a browser cannot attach an API key or a bearer token by itself', async () => {
    const app = appWith({ AUTH_MODE: 'apikey', API_KEYS: 'alice:alice-key-0123456789' });
    expect((await get(app, QUERY)).status).toBe(401);
    const authorized = await get(app, QUERY, { authorization: 'Bearer alice-key-0123456789' });
    expect(await authorized.json()).toEqual({ data: { sessions: { totalCount: 0 } } });
    expect((await get(app, CREATE, { authorization: 'Bearer alice-key-0123456789' })).status).toBe(405);
  });
});

describe('limits on requests and connections (real sockets)', () => {
  function raw(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      if (body !== undefined) req.end(body);
      else {
        req.write('{"query":');
        setTimeout(() => req.end('"{ stats { __typename } }"}'), 20);
      }
    });
  }

  it('refuses a body over MAX_BODY_BYTES with 413, whether its length is declared or not', async () => {
    const app = appWith({ MAX_BODY_BYTES: '1000' });
    const url = await app.start(0);
    const big = JSON.stringify({ query: `{ stats { __typename } } # ${'x'.repeat(2000)}` });
    const declared = await raw(url, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    const chunkedBig = await raw(url, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, big);
    expect(chunkedBig.status).toBe(413);
    const chunkedSmall = await raw(url, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(chunkedSmall.status).toBe(200);
    const fine = JSON.stringify({ query: '{ stats { __typename } }' });
    expect((await raw(url, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(fine)) }, fine)).status).toBe(200);
  });

  describe('DNS rebinding: a page whose name points at 127.0.0.1 is same-origin with a local Parley', () => {
    /** A request as a browser on such a page sends it: its own origin, and its own name as Host. */
    function asBrowserAt(url: string, host: string, body: string, method = 'POST'): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = request(url, { method, headers: { host, origin: `http://${host}`, 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(method === 'POST' ? body : undefined);
      });
    }
    const create = JSON.stringify({ query: 'mutation { createSession(input: { title: "planted" }) { __typename } }' });

    it('refuses requests naming another host on a loopback server (403 HOST_NOT_ALLOWED), and runs nothing', async () => {
      const app = appWith();
      const url = await app.start(0);
      const port = new URL(url).port;
      const refused = await asBrowserAt(url, `rebind.evil.example:${port}`, create);
      expect(refused.status).toBe(403);
      const error = JSON.parse(refused.body).errors[0];
      expect(error.extensions).toEqual({ code: 'HOST_NOT_ALLOWED' });
      expect(error.message).toMatch(/^Host "rebind\.evil\.example:\d+" is not allowed: .*ALLOWED_HOSTS/);
      expect((await asBrowserAt(`${url}?query=%7B__typename%7D`, `rebind.evil.example:${port}`, '', 'GET')).status).toBe(403);
      expect((await asBrowserAt(new URL('/console', url).href, `rebind.evil.example:${port}`, '', 'GET')).status).toBe(403);
      expect((await app.service.stats()).sessionCount).toBe(0);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
        expect((await asBrowserAt(url, host, create)).status, host).toBe(200);
      }
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { host: `rebind.evil.example:${port}` } });
      socket.on('error', () => {}); // the refused upgrade: its status is what this test reads
      const [, response] = await once(socket, 'unexpected-response');
      expect((response as { statusCode: number }).statusCode).toBe(403);
      (response as { destroy(): void }).destroy();
    });

    it('answers the names ALLOWED_HOSTS adds, and any name on a server bound beyond loopback', async () => {
      const named = appWith({ ALLOWED_HOSTS: 'parley.internal, .corp.example' });
      const url = await named.start(0);
      for (const host of ['parley.internal', 'team.corp.example', 'corp.example', 'localhost']) expect((await asBrowserAt(url, host, create)).status, host).toBe(200);
      expect((await asBrowserAt(url, 'evilcorp.example', create)).status).toBe(403);
      const open = appWith({ HOST: '0.0.0.0' });
      expect((await asBrowserAt(await open.start(0), 'parley.example.com', create)).status).toBe(200);
      expect(loadConfig({ HOST: '127.0.0.1', ALLOWED_HOSTS: '*' }).allowedHosts).toBeNull();
    });
  });

  it('refuses WebSocket connections from foreign browser origins', async () => {
    const app = appWith({ CORS_ORIGINS: 'https://app.example' });
    const url = (await app.start(0)).replace(/^http/, 'ws');
    const port = new URL(url).port;
    const attempt = async (origin?: string) => {
      const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
      const [outcome] = await Promise.race([once(socket, 'open').then(() => ['open']), once(socket, 'unexpected-response').then(([, res]) => [(res as { statusCode: number }).statusCode])]);
      socket.terminate();
      return outcome;
    };
    expect(await attempt('https://evil.example')).toBe(401);
    expect(await attempt('https://app.example')).toBe('open');
    expect(await attempt(`http://127.0.0.1:${port}`)).toBe('open');
    expect(await attempt()).toBe('open');
  });
});
