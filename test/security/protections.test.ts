import { once } from 'node:events';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

function appWith(env: Record<string, string> = {}): App {
  const app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig(env), shutdownTimeoutMs: 500 } });
  apps.push(app);
  return app;
}

async function post(app: App, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.yoga.fetch('http://parley.test/graphql', {
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
    const page = await prod.yoga.fetch('http://parley.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<title>Parley</title>');
    const dev = appWith();
    expect((await post(dev, { query: '{ __schema { queryType { name } } }' })).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF)', async () => {
    const app = appWith();
    const get = await app.yoga.fetch(`http://parley.test/graphql?query=${encodeURIComponent('{ stats { __typename } }')}`);
    expect(get.status).toBe(403);
    const form = await post(app, 'query={stats{__typename}}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(403);
    const withHeader = await app.yoga.fetch(`http://parley.test/graphql?query=${encodeURIComponent('{ stats { __typename } }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(withHeader.status).toBe(200);
  });

  it('answers CORS for configured origins only', async () => {
    const preflight = (app: App, origin: string) =>
      app.yoga.fetch('http://parley.test/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const closed = await preflight(appWith(), 'https://app.example');
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const open = appWith({ CORS_ORIGINS: 'https://app.example' });
    expect((await preflight(open, 'https://app.example')).headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect([null, 'https://app.example']).toContain((await preflight(open, 'https://evil.example')).headers.get('access-control-allow-origin'));
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
