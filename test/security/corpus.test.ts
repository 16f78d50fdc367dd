import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { CORPUS, type BadRequest } from './corpus.js';
import { LEAN_HTTP } from '../http-path.js';

let app: App;
let base: string;

/** Everything stored, in a comparable form: every session exported whole, and every user. */
async function snapshot(): Promise<unknown> {
  const { service } = app;
  const sessions = [];
  for (let after: string | null = null; ; ) {
    const page = await service.listSessions({ first: 100, after, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    for (const { node } of page.edges) sessions.push({ ...((await service.exportSession(node.id)) as object), exportedAt: null });
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const users = (await service.listUsers({ first: 100 })).edges.map((e) => e.node);
  return { sessions, users };
}

function send(bad: BadRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = bad.body === undefined ? undefined : Buffer.from(bad.body);
    const headers = { ...bad.headers, ...(body && { 'content-length': String(body.length) }) };
    const req = request(`${base}${bad.path ?? '/graphql'}`, { method: bad.method ?? 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A clear error: a 4xx, a GraphQL error with a code, or a typed error in place of the result.
 * Never INTERNAL_SERVER_ERROR: bad input is the client's to fix, and the answer must say so.
 */
function clearError(status: number, text: string): string | null {
  if (status !== 200 && !(status >= 400 && status < 500)) return `HTTP ${status}`;
  let body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return status === 200 ? `not JSON: ${text.slice(0, 300)}` : null;
  }
  if (body.errors?.length) {
    const codes = body.errors.map((e) => e.extensions?.code);
    if (codes.some((code) => typeof code !== 'string')) return `an error without a code: ${text.slice(0, 300)}`;
    return codes.includes('INTERNAL_SERVER_ERROR') ? `bad input reported as the server's fault: ${text.slice(0, 300)}` : null;
  }
  if (status !== 200) return null;
  const typed = Object.values(body.data ?? {}).some((v) => /Error$/.test(String((v as { __typename?: string } | null)?.__typename)));
  return typed ? null : `no error at all: ${text.slice(0, 300)}`;
}

beforeAll(async () => {
  app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig({ LEAN_HTTP }), shutdownTimeoutMs: 500 } });
  base = (await app.start(0)).replace(/\/graphql$/, '');
  await app.service.upsertUser({ id: 'u', name: 'U' });
  await app.service.createSession({ id: 'seed', ownerId: 'u', metadata: { k: 'v' }, messages: [{ role: 'USER', content: 'hello' }, { role: 'ASSISTANT', content: 'hi' }] });
});
afterAll(() => app.stop());

describe(`the bad-input corpus (${CORPUS.length} requests)`, () => {
  it('holds at least 100 malformed requests', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s: a clear error, nothing changed', async (_name, bad) => {
    const before = await snapshot();
    const { status, body } = await send(bad);
    expect(clearError(status, body), `HTTP ${status}: ${body.slice(0, 300)}`).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('still serves well-formed requests afterwards', async () => {
    const ok = await send({ name: 'ok', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ session(id: "seed") { messageCount } }' }) });
    expect(JSON.parse(ok.body)).toEqual({ data: { session: { messageCount: 2 } } });
  });
});
