import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { captureLogs } from '../logs.js';
import { TEST_CONFIG } from '../api/client.js';

type GraphQLErrorJson = { message: string; locations?: unknown; path?: unknown; extensions?: Record<string, unknown> };
/** What one operation got: the errors of an `error` message, or the results of `next` messages. */
type Answer = { error?: GraphQLErrorJson[]; next: { data?: unknown; errors?: GraphQLErrorJson[] }[] };

let app: App | undefined;
let client: Client | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await client?.dispose();
  await app?.stop();
  app = client = undefined;
});

const ARMOR = { depth: 6, aliases: 3, directives: 3, tokens: 200, cost: 100 };

async function serve(armor = ARMOR) {
  const { logger, lines } = captureLogs('debug');
  app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, armor }, logger });
  const url = await app.start(0);
  let connections = 0;
  const closes: number[] = [];
  client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => void connections++, closed: (event) => void closes.push((event as { code: number }).code) },
  });
  return { app, client, lines, connections: () => connections, closes };
}

function overWs(ws: Client, query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { next: [] };
    ws.subscribe(
      { query, variables, ...(operationName && { operationName }) },
      {
        next: (result) => void answer.next.push(result as Answer['next'][number]),
        error: (error) => resolve({ ...answer, error: Array.isArray(error) ? (error as GraphQLErrorJson[]) : [{ message: `not GraphQL errors: ${String(error)}` }] }),
        complete: () => resolve(answer),
      },
    );
  });
}

async function overHttp(server: App, query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const response = await server.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables, ...(operationName && { operationName }) }),
  });
  return (await response.json()) as { data?: unknown; errors?: GraphQLErrorJson[] };
}

const nest = (depth: number): string => (depth === 0 ? 'id' : `owner { sessions { edges { node { ${nest(depth - 1)} } } } }`);
const many = (n: number, field: string) => Array.from({ length: n }, (_, i) => `f${i}: ${field}`).join(' ');
const DIRECTIVES = '@include(if: true) @include(if: true) @skip(if: false) @skip(if: false)';

/** [what, document, the start of the message]: each over one limit, as a query, a mutation and a subscription. */
const OVER_LIMITS: [string, string, RegExp][] = [
  ['query depth', `{ session(id: "s") { ${nest(3)} } }`, /^Query depth limit of 6 exceeded/],
  ['query aliases', `{ ${many(4, 'stats { __typename }')} }`, /^Aliases limit of 3 exceeded/],
  ['query directives', `{ stats ${DIRECTIVES} { __typename } }`, /^Directives limit of 3 exceeded/],
  ['query tokens', `{ ${many(120, '__typename')} }`, /^Token limit of 200 exceeded/],
  [
    'query cost',
    '{ sessions { ... on SessionConnection { edges { node { id title model preview metadata context stats { messageCount exchangeCount durationMs messagesByRole { user assistant system tool } } } } } } }',
    /^Query Cost limit of 100 exceeded/,
  ],
  ['mutation aliases', `mutation { ${many(4, 'deleteSession(id: "x") { __typename }')} }`, /^Aliases limit of 3 exceeded/],
  ['mutation tokens', `mutation { ${many(60, 'deleteSession(id: "x") { __typename }')} }`, /^Token limit of 200 exceeded/],
  ['subscription directives', `subscription { messageAdded(sessionId: "s") ${DIRECTIVES} { seq } }`, /^Directives limit of 3 exceeded/],
  ['subscription tokens', `subscription { messageAdded(sessionId: "s") { ${Array(250).fill('seq').join(' ')} } }`, /^Token limit of 200 exceeded/],
];

const VALID = '{ stats { ... on Stats { sessionCount } } }';

describe('operation limits and request errors over WebSocket', () => {
  it.each(OVER_LIMITS)('answers %s over the limit with QUERY_TOO_COMPLEX, then runs the next operation on the same connection', async (_what, query, message) => {
    const { client: ws, connections, closes, lines } = await serve();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const answer = await overWs(ws, query);
    expect(answer.next).toEqual([]);
    expect(answer.error).toHaveLength(1);
    expect(answer.error?.[0]?.message).toMatch(message);
    expect(answer.error?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX' });
    expect(await overWs(ws, VALID)).toEqual({ next: [{ data: { stats: { sessionCount: 0 } } }] });
    expect(connections()).toBe(1);
    expect(closes).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    expect(lines.filter((line) => line.level === 'error' || line.level === 'warn' || JSON.stringify(line).includes('    at '))).toEqual([]);
  });

  it('gives every request error the answer HTTP gives, as an error message, on a connection that stays open', async () => {
    const { app: server, client: ws, connections, closes, lines } = await serve();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cases: [string, Record<string, unknown>?, string?][] = [
      ...OVER_LIMITS.map(([, query]): [string] => [query]),
      ['{ stats { '],
      ['subscription { messageAdded(sessionId: "s") { seq '],
      ['{ stat { __typename } }'],
      ['mutation { deleteSession { __typename } }'],
      ['subscription { messageAdded(sessionId: "s") { nope } }'],
      ['query($n: Int!) { users(first: $n) { __typename } }', { n: 'ten' }],
      ['subscription($id: ID!) { messageAdded(sessionId: $id) { seq } }', {}],
      [`query A { ${VALID.slice(1)} query B { stats { __typename } }`, {}, 'C'],
    ];
    const overHttpFirst = [];
    for (const [query, variables, operationName] of cases) overHttpFirst.push(await overHttp(server, query, variables, operationName));
    lines.length = 0; // what HTTP logs is not this test's business
    for (const [i, [query, variables, operationName]] of cases.entries()) {
      const http = overHttpFirst[i]!;
      expect(http.data, query).toBeUndefined();
      expect(http.errors?.length, query).toBeGreaterThan(0);
      const answer = await overWs(ws, query, variables, operationName);
      expect({ query, error: answer.error, next: answer.next }).toEqual({ query, error: http.errors, next: [] });
      for (const e of http.errors ?? []) expect(e.message, query).not.toMatch(/^Syntax Error: .*limit/);
      expect(await overWs(ws, VALID)).toEqual({ next: [{ data: { stats: { sessionCount: 0 } } }] });
    }
    expect(connections()).toBe(1);
    expect(closes).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    expect(lines.filter((line) => line.level === 'error' || line.level === 'warn' || JSON.stringify(line).includes('    at '))).toEqual([]);
  });

  it('gives the errors of a running operation (a nested page over its limit) as HTTP gives them', async () => {
    const { app: server, client: ws } = await serve(TEST_CONFIG.armor);
    await server.service.createSession({ id: 's' });
    const query = '{ session(id: "s") { id messages(last: 500) { totalCount } } }';
    const http = await overHttp(server, query);
    expect(http.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'MAX_PAGE_SIZE' });
    expect(await overWs(ws, query)).toEqual({ next: [http] });
  });
});

describe('the size of a WebSocket message', () => {
  /** Opens a raw graphql-transport-ws socket and resolves with its close code after `send`. */
  async function closeCodeAfter(wsUrl: string, payload: string): Promise<{ code: number; acked: boolean }> {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    let acked = false;
    return new Promise((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'connection_ack') {
          acked = true;
          socket.send(payload);
        }
        if (message.type === 'next' || message.type === 'error') socket.close(1000);
      });
      socket.on('close', (code) => resolve({ code, acked }));
      socket.on('error', reject);
    });
  }

  it('is bounded by MAX_BODY_BYTES, as an HTTP body is: a larger one closes the socket with 1009', async () => {
    const maxBodyBytes = 16 * 1024;
    const server = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, maxBodyBytes } });
    app = server;
    const wsUrl = (await server.start(0)).replace(/^http/, 'ws');
    const query = (padding: number) =>
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ sessions(first: 1) { totalCount } }${' '.repeat(padding)}` } });
    expect(await closeCodeAfter(wsUrl, query(maxBodyBytes))).toEqual({ code: 1009, acked: true });
    expect(await closeCodeAfter(wsUrl, query(1_000))).toEqual({ code: 1000, acked: true });
  });

  it('logs a client-side socket failure (a message too large, a client that vanished) as one INFO line, never as an internal error on the console', async () => {
    const { logger, lines } = captureLogs('debug');
    const maxBodyBytes = 16 * 1024;
    const server = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, maxBodyBytes }, logger });
    app = server;
    const wsUrl = (await server.start(0)).replace(/^http/, 'ws');
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const big = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ __typename }${' '.repeat(maxBodyBytes)}` } });
    expect(await closeCodeAfter(wsUrl, big)).toEqual({ code: 1009, acked: true });
    // A client that drops its TCP connection without a close frame while subscribed.
    const session = await server.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createSession(input: {}) { ... on Session { id } } }' }),
    });
    const id = ((await session.json()) as { data: { createSession: { id: string } } }).data.createSession.id;
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type !== 'connection_ack') return;
        socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: `subscription { messageAdded(sessionId: "${id}") { seq } }` } }));
        setTimeout(resolve, 50);
      });
      socket.on('error', reject);
    });
    (socket as unknown as { _socket: { destroy(): void } })._socket.destroy();
    for (let i = 0; i < 5; i++) {
      await server.yoga.fetch('http://parley.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { appendMessages(sessionId: "${id}", messages: [{ role: USER, content: "x" }]) { __typename } }` }),
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(consoleError).not.toHaveBeenCalled();
    expect(lines.filter((line) => line.level === 'error' || line.level === 'warn' || JSON.stringify(line).includes('    at '))).toEqual([]);
    expect(lines.filter((line) => line.msg === 'WebSocket connection failed' && line.level === 'info').length).toBeGreaterThanOrEqual(1);
  });
});
