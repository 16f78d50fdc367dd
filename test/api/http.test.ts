import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { captureLogs } from '../logs.js';
import { TEST_CONFIG } from './client.js';
import { httpFetch } from '../http-path.js';

function appWith(overrides: { failing?: boolean; graphiql?: boolean } = {}) {
  const storage = createMemoryStorage();
  if (overrides.failing) {
    storage.listSessions = async () => {
      throw new Error('disk on fire at /var/secret/path');
    };
    storage.ping = async () => {
      throw new Error('down');
    };
  }
  const { logger, text: lines } = captureLogs('debug');
  const app = createApp({ storage, config: { ...TEST_CONFIG, graphiql: overrides.graphiql ?? true }, logger });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { app, lines, post };
}

describe('the HTTP surface', () => {
  it('masks an unexpected failure for the client and logs it with the request id', async () => {
    const { post, lines } = appWith({ failing: true });
    const response = await post({ query: '{ sessions { __typename } }' }, { 'x-request-id': 'req-42' });
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(body)).not.toContain('disk on fire');
    const logged = lines.find((line) => line.includes('unexpected error'));
    expect(logged).toContain('"requestId":"req-42"');
    expect(logged).toContain('disk on fire');
  });

  it('answers /health, and /ready according to the storage, saying which check failed', async () => {
    const ready = async (app: App) => {
      const response = await httpFetch(app, 'http://parley.test/ready');
      return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as unknown };
    };
    const healthy = appWith();
    expect((await httpFetch(healthy.app, 'http://parley.test/health')).status).toBe(200);
    expect(await ready(healthy.app)).toEqual({ status: 200, type: 'application/json', body: { status: 'ready', checks: { storage: 'ok', eventBus: 'ok' } } });
    const broken = appWith({ failing: true });
    expect((await httpFetch(broken.app, 'http://parley.test/health')).status).toBe(200);
    expect(await ready(broken.app)).toEqual({ status: 503, type: 'application/json', body: { status: 'unavailable', checks: { storage: 'unreachable', eventBus: 'ok' } } });
    expect(broken.lines.some((line) => line.includes('readiness check failed'))).toBe(true);
  });

  it('serves GraphiQL to a browser, self-contained, unless turned off', async () => {
    const browser = { headers: { accept: 'text/html' } };
    const page = await httpFetch(appWith().app, 'http://parley.test/graphql', browser);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Parley</title>');
    expect(html).not.toContain('unpkg.com');
    const off = await httpFetch(appWith({ graphiql: false }).app, 'http://parley.test/graphql', browser);
    expect(await off.text()).not.toContain('<title>Parley</title>');
  });

  it('rejects malformed requests with a clear error and keeps serving', async () => {
    const { post, app } = appWith();
    const broken = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(broken.status).toBe(400);
    const syntax = (await (await post({ query: '{ sessions( }' })).json()) as { errors: { message: string }[] };
    expect(syntax.errors[0]?.message).toMatch(/Syntax Error/);
    const unknown = (await (await post({ query: '{ nope }' })).json()) as { errors: { message: string }[] };
    expect(unknown.errors[0]?.message).toMatch(/Cannot query field "nope"/);
    const badScalar = (await (
      await post({ query: 'mutation($m: JSONObject) { createSession(input: { metadata: $m }) { __typename } }', variables: { m: [1] } })
    ).json()) as { errors: { message: string }[] };
    expect(badScalar.errors[0]?.message).toMatch(/JSONObject must be a JSON object/);
    const badDate = (await (await post({ query: '{ stats(filter: { createdAfter: "yesterday" }) { __typename } }' })).json()) as {
      errors: { message: string }[];
    };
    expect(badDate.errors[0]?.message).toMatch(/ISO 8601/);
    const ok = (await (await post({ query: '{ stats { __typename } }' })).json()) as { data: unknown };
    expect(ok.data).toEqual({ stats: { __typename: 'Stats' } });
  });
});
