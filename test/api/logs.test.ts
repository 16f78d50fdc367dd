import { createClient } from 'graphql-ws';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { REDACTED, VALUE_MAX } from '../../src/log.js';
import { loadConfig } from '../../src/server/config.js';
import { createApp, type App } from '../../src/server/app.js';
import { captureLogs } from '../logs.js';
import { eventually, floodUntilCut, stalledSubscriber } from '../live/helpers.js';

const SECRET = 'a-jwt-secret-of-at-least-32-characters!';
const sign = (claims: Record<string, unknown>, expires = '5m', secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expires).sign(new TextEncoder().encode(secret));

let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** A Parley with AUTH_MODE=jwt on a free port, logging at debug (the most it says) into `lines`. */
async function serveJwt() {
  const logs = captureLogs('debug');
  const storage = createMemoryStorage();
  storage.getTotals = async () => {
    throw new Error(`stats exploded: ${'z'.repeat(5000)}`);
  };
  app = createApp({ storage, config: { ...loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET }), shutdownTimeoutMs: 1000 }, logger: logs.logger });
  const url = await app.start(0);
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { ...logs, url, post };
}

describe('what the log says of a request', () => {
  it('never writes a JWT or its secret, over HTTP or WebSocket, valid, expired or forged; names the caller by its subject', async () => {
    const { url, post, text, lines } = await serveJwt();
    const good = await sign({ sub: 'mallory' });
    const expired = await sign({ sub: 'mallory' }, '-1m');
    const forged = await sign({ sub: 'mallory', parley_admin: true }, '5m', 'another-secret-of-at-least-32-characters');
    const tokens = [good, expired, forged];
    for (const [i, token] of tokens.entries()) {
      await post({ authorization: `Bearer ${token}`, 'x-request-id': `req-jwt-${i}` }, { query: 'query Count { sessions { ... on SessionConnection { totalCount } } }' });
      await post({ 'x-api-key': token }, { query: '{ __typename }' });
    }
    // The caller's subject is logged, its token is not, even when it fails.
    await post({ authorization: `Bearer ${good}`, 'x-request-id': 'req-crash' }, { query: '{ stats { __typename } }' });
    for (const token of tokens) {
      const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${token}` } });
      await new Promise<void>((resolve) => {
        client.subscribe({ query: '{ __typename }' }, { next: () => {}, error: () => resolve(), complete: () => resolve() });
      });
      await client.dispose();
    }
    const all = text.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const secret of [SECRET, ...tokens, ...tokens.map((t) => t.split('.')[2] as string)]) expect(all).not.toContain(secret);

    const request = (id: string) => lines.find((l) => l.msg === 'request' && l.requestId === id);
    expect(request('req-jwt-0')).toMatchObject({ level: 'info', status: 200, operation: 'Count', caller: 'mallory' });
    expect(request('req-jwt-1')).toMatchObject({ level: 'info', status: 401, caller: null, errorCode: 'UNAUTHENTICATED' });
    expect(request('req-jwt-2')).toMatchObject({ level: 'info', status: 401, caller: null, errorCode: 'UNAUTHENTICATED' });
    expect(lines.filter((l) => l.level === 'warn' || (l.level === 'error' && l.requestId !== 'req-crash'))).toEqual([]);
  });

  it('gives an unexpected error its cause, with the stack, at error; its message cut short', async () => {
    const { post, lines, text } = await serveJwt();
    const token = await sign({ sub: 'mallory' });
    await post({ authorization: `Bearer ${token}`, 'x-request-id': 'req-crash' }, { query: 'query Stats { stats { __typename } }', operationName: 'Stats' });
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ msg: 'unexpected error', requestId: 'req-crash', operation: 'Stats', caller: 'mallory', path: 'stats', error: expect.objectContaining({ type: 'Error', stack: expect.stringMatching(/^Error: stats exploded: z+…\n {4}at /) }) }),
    ]);
    const error = errors[0]?.error as { message: string; stack: string };
    expect(error.message).toHaveLength(VALUE_MAX + 1);
    expect(error.stack).toContain('test/api/logs.test.ts');
    for (const line of text) expect(line.length).toBeLessThan(8 * 1024);
  });

  it('cuts an operation name a client made long, and the line stays short', async () => {
    const { post, lines, text } = await serveJwt();
    const token = await sign({ sub: 'mallory' });
    const name = `Q${'x'.repeat(4999)}`;
    await post({ authorization: `Bearer ${token}`, 'x-request-id': 'req-long' }, { query: `query ${name} { __typename }`, operationName: name });
    const line = lines.find((l) => l.msg === 'request' && l.requestId === 'req-long');
    expect(line?.operation).toBe(`${name.slice(0, 128)}…`);
    expect(text.every((l) => l.length < 2048)).toBe(true);
  });
});

describe('what the log says of a refused request', () => {
  it('is one info line, the request line, with the refusal\'s code and shortened message', async () => {
    const { post, lines } = await serveJwt();
    const token = await sign({ sub: 'mallory' });
    const refused = await post({ authorization: `Bearer ${token}`, 'x-request-id': 'req-refused' }, { query: `{ ${'y'.repeat(5000)} }` });
    expect(refused.status).toBe(200);
    const about = lines.filter((l) => l.requestId === 'req-refused');
    expect(about).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request',
        errorCode: 'GRAPHQL_VALIDATION_FAILED',
        errorMessage: expect.stringMatching(/^Cannot query field "y{8,}/),
      }),
    ]);
    expect((about[0]!.errorMessage as string).length).toBeLessThan(300);
  });

  it('names the authenticated caller of a request that failed to parse or validate; none for a bad credential', async () => {
    const { post, lines } = await serveJwt();
    const token = await sign({ sub: 'mallory' });
    await post({ authorization: `Bearer ${token}`, 'x-request-id': 'req-typo' }, { query: '{ sesions { __typename } }' });
    await post({ authorization: `Bearer ${token}`, 'x-request-id': 'req-broken' }, { query: '{ sessions {' });
    await post({ authorization: 'Bearer not-a-token', 'x-request-id': 'req-bad-token' }, { query: '{ sesions { __typename } }' });
    const request = (id: string) => lines.filter((l) => l.msg === 'request' && l.requestId === id);
    expect(request('req-typo')).toEqual([expect.objectContaining({ caller: 'mallory', errorCode: 'GRAPHQL_VALIDATION_FAILED' })]);
    expect(request('req-broken')).toEqual([expect.objectContaining({ caller: 'mallory', errorCode: 'GRAPHQL_PARSE_FAILED' })]);
    expect(request('req-bad-token')).toEqual([expect.objectContaining({ caller: null })]);
  });
});

describe('what the log says of a WebSocket operation', () => {
  /** A graphql-ws client of the server at `url`, its operations' results and errors collected. */
  const wsClient = (url: string, token: string) =>
    createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${token}` } });
  const settle = (client: ReturnType<typeof wsClient>, query: string, variables: Record<string, unknown> = {}) =>
    new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      client.subscribe({ query, variables }, { next: (value) => got.push(value), error: (error) => resolve([...got, error]), complete: () => resolve(got) });
    });

  it('logs one request line per operation when it ends: id, operation, caller, duration, error code; never the token', async () => {
    const { url, lines, text } = await serveJwt();
    const token = await sign({ sub: 'mallory' });
    const client = wsClient(url, token);
    await settle(client, 'query Count { sessions { ... on SessionConnection { totalCount } } }');
    const created = (await settle(client, 'mutation Start { createSession(input: { title: "ws" }) { ... on Session { id } } }')) as { data: { createSession: { id: string } } }[];
    await settle(client, 'query Typo { sesions { __typename } }');
    await settle(client, 'query Crash { stats { __typename } }');
    // A subscription's line comes when it ends: here, when the client completes it.
    const events: unknown[] = [];
    const stop = client.subscribe({ query: 'subscription Watch($id: ID!) { messageAdded(sessionId: $id) { seq } }', variables: { id: created[0]!.data.createSession.id } }, { next: (v) => events.push(v), error: () => {}, complete: () => {} });
    await eventually(() => lines.filter((l) => l.msg === 'request' && l.transport === 'ws').length === 4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines.some((l) => l.msg === 'request' && l.operation === 'Watch')).toBe(false);
    stop();
    await eventually(() => lines.some((l) => l.msg === 'request' && l.operation === 'Watch'));
    await client.dispose();

    const ws = lines.filter((l) => l.msg === 'request' && l.transport === 'ws');
    const shape = { transport: 'ws', method: null, path: '/graphql', status: null, caller: 'mallory', durationMs: expect.any(Number), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) };
    expect(ws).toEqual([
      expect.objectContaining({ ...shape, level: 'info', operation: 'Count', errorCode: null }),
      expect.objectContaining({ ...shape, level: 'info', operation: 'Start', errorCode: null }),
      expect.objectContaining({ ...shape, level: 'info', operation: 'Typo', errorCode: 'GRAPHQL_VALIDATION_FAILED', errorMessage: expect.stringContaining('sesions') }),
      expect.objectContaining({ ...shape, level: 'warn', operation: 'Crash', errorCode: 'INTERNAL_SERVER_ERROR' }),
      expect.objectContaining({ ...shape, level: 'info', operation: 'Watch', errorCode: null }),
    ]);
    expect(new Set(ws.map((l) => l.requestId)).size).toBe(5);
    // The unexpected error's own line carries the same request id as the operation's.
    const crash = ws[3]!;
    expect(lines.filter((l) => l.msg === 'unexpected error')).toEqual([expect.objectContaining({ requestId: crash.requestId, caller: 'mallory' })]);
    expect(text.join('\n')).not.toContain(token);
  });

  it('logs a subscription still open when its socket closes, once', async () => {
    const { url, lines } = await serveJwt();
    const client = wsClient(url, await sign({ sub: 'mallory' }));
    client.subscribe({ query: 'subscription Everything { sessionEvents { type } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.filter((l) => l.msg === 'request' && l.transport === 'ws')).toEqual([]);
    await client.dispose();
    await eventually(() => lines.some((l) => l.msg === 'request' && l.operation === 'Everything'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines.filter((l) => l.msg === 'request' && l.transport === 'ws')).toEqual([expect.objectContaining({ operation: 'Everything', caller: 'mallory', errorCode: null })]);
  });
  it('names SUBSCRIBER_TOO_SLOW in the line of a subscriber cut off for falling behind', async () => {
    const logs = captureLogs('debug');
    app = createApp({ storage: createMemoryStorage(), config: { ...loadConfig({ SUBSCRIPTION_BUFFER: '10' }), shutdownTimeoutMs: 1000 }, logger: logs.logger });
    const url = await app.start(0);
    await app.service.createSession({ id: 'flood' });
    // It stops reading: the server's sends back up, then its queue fills and it is cut off.
    const query = 'subscription Flood($id: ID!) { messageAdded(sessionId: $id) { seq content } }';
    const socket = await stalledSubscriber(app, url.replace(/^http/, 'ws'), { operationName: 'Flood', query, variables: { id: 'flood' } });
    await floodUntilCut(app, 'flood');
    expect(app.events.listenerCount()).toBe(0);
    socket.terminate();
    await eventually(() => logs.lines.some((l) => l.msg === 'request' && l.operation === 'Flood'));
    expect(logs.lines.filter((l) => l.msg === 'request' && l.operation === 'Flood')).toEqual([
      expect.objectContaining({ level: 'info', transport: 'ws', errorCode: 'SUBSCRIBER_TOO_SLOW', errorMessage: null }),
    ]);
  }, 30_000);
});

describe('the logger', () => {
  it('redacts credentials by their field name at any depth, and any JWT wherever it appears', () => {
    const { logger, lines, text } = captureLogs('debug');
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abcdefghijklmnop';
    logger.info(`saw ${jwt}`, {
      headers: { authorization: 'Bearer k-1234567890abcdef', 'x-api-key': 'k-abcdef1234567890', cookie: 'sid=1' },
      apiKey: 'k-0000', token: 't', password: 'p', JWT_SECRET: 's', note: `token=${jwt}`, inputTokens: 12,
    });
    expect(text.join('')).not.toMatch(/k-1234567890abcdef|k-abcdef1234567890|k-0000|sid=1|eyJ/);
    expect(lines[0]).toMatchObject({
      msg: `saw ${REDACTED}`,
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, cookie: REDACTED },
      apiKey: REDACTED, token: REDACTED, password: REDACTED, JWT_SECRET: REDACTED, note: `token=${REDACTED}`, inputTokens: 12,
    });
  });

  it('writes an error as type, message and code, with its stack and cause only at error level', () => {
    const { logger, lines } = captureLogs('debug');
    const error = Object.assign(new Error('outer', { cause: new TypeError('inner') }), { code: 'ECONNRESET' });
    logger.warn('warned', { error });
    logger.error('failed', { error });
    expect(lines[0]?.error).toEqual({ type: 'Error', message: 'outer', code: 'ECONNRESET', cause: { type: 'TypeError', message: 'inner' } });
    expect(lines[1]?.error).toMatchObject({ type: 'Error', stack: expect.stringMatching(/^Error: outer\n {4}at /), cause: { type: 'TypeError', stack: expect.stringMatching(/^TypeError: inner/) } });
  });

  it('drops lines below its level', () => {
    const { logger, lines } = captureLogs('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'c'], ['error', 'd']]);
  });
});
