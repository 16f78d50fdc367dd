import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible/index.js';
import type { Storage } from '../../src/core/storage.js';
import { createEventBus } from '../../src/live/bus.js';
import { createRunChannel } from '../../src/live/run-channel.js';
import { startOpenAIServer, type OpenAIServer } from '../providers/openai-server.js';
import { eventually, redisUnavailable, startApp, subscribe, type Running } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let model: OpenAIServer;
beforeAll(async () => {
  model = await startOpenAIServer();
});
afterAll(() => model.close());

const running: Running[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const close of closers.splice(0)) await close();
});

const provider = () => createOpenAICompatibleProvider({ baseURL: model.baseURL, defaultModel: 'test-model', maxRetries: 0 });

async function instance(options: { storage?: Storage; redis?: boolean; leaseMs?: number } = {}): Promise<Running> {
  const events = options.redis ? createEventBus({ redisUrl: REDIS_URL }) : undefined;
  const runChannel = options.redis ? createRunChannel({ redisUrl: REDIS_URL }) : undefined;
  const config = options.leaseMs ? { runs: { ...(await import('../api/client.js')).TEST_CONFIG.runs, leaseMs: options.leaseMs } } : {};
  const r = await startApp(config, events, { provider: provider(), ...(options.storage && { storage: options.storage }), ...(runChannel && { runChannel }) });
  running.push(r);
  if (events) closers.push(() => events.close());
  if (runChannel) closers.push(() => runChannel.close());
  if (options.redis) await eventually(() => r.app.events.isUp() && (runChannel?.isUp() ?? true), 5000, 'Redis connected');
  return r;
}

async function gql<T = Record<string, unknown>>(r: Running, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

const SEND = `mutation($s: ID!, $c: String!, $k: String) {
  sendMessage(sessionId: $s, message: { content: $c, clientId: $k }) {
    __typename
    ... on SendMessagePayload { userMessage { seq } run { id status inputSeq } }
    ... on Error { message }
  }
}`;
type Send = { sendMessage: { __typename: string; userMessage: { seq: number }; run: { id: string; status: string } } };

const RUN_EVENTS = `subscription($r: ID!, $after: Int) {
  runEvents(runId: $r, afterOffset: $after) { offset type text run { status error { code } } message { role content seq } }
}`;
type Event = { offset: number; type: 'DELTA' | 'END'; text: string | null; run: { status: string; error: { code: string } | null } | null; message: { role: string; content: string; seq: number } | null };

async function newSession(r: Running): Promise<string> {
  const session = await r.app.service.createSession({ title: 'runs' });
  return session.id;
}

const tokens = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);

describe('runs over the API', () => {
  it('sends a message and streams the reply over graphql-ws: dense offsets, END with the stored message, messageAdded shows it', async () => {
    model.script({ tokens: ['Olá', ',', ' mundo'], delayMs: 30 });
    const r = await instance();
    const id = await newSession(r);
    const added = subscribe<{ messageAdded: { role: string; content: string } }>(r.ws(), 'subscription($s: ID!) { messageAdded(sessionId: $s) { role content } }', { s: id });
    await eventually(() => r.app.events.listenerCount() === 1, 5000, 'messageAdded subscribed');
    const { sendMessage } = await gql<Send>(r, SEND, { s: id, c: 'Hello, world in Portuguese?' });
    expect(sendMessage.__typename).toBe('SendMessagePayload');
    const events = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await events.completed;
    const got = events.values.map((v) => v.runEvents);
    expect(got.map((e) => e.offset)).toEqual([1, 2, 3, 4]);
    expect(got.slice(0, 3).map((e) => e.text).join('')).toBe('Olá, mundo');
    expect(got[3]).toMatchObject({ type: 'END', run: { status: 'SUCCEEDED', error: null }, message: { role: 'ASSISTANT', content: 'Olá, mundo', seq: 2 } });
    const messages = await added.received(2);
    expect(messages.map((m) => m.messageAdded)).toEqual([
      { role: 'USER', content: 'Hello, world in Portuguese?' },
      { role: 'ASSISTANT', content: 'Olá, mundo' },
    ]);
    const { session } = await gql<{ session: { activeRun: null; runs: { status: string }[] } }>(r, 'query($s: ID!) { session(id: $s) { activeRun { id } runs { status } } }', { s: id });
    expect(session).toEqual({ activeRun: null, runs: [{ status: 'SUCCEEDED' }] });
  });

  it('streams over SSE too', async () => {
    model.script({ tokens: ['one', ' two'], delayMs: 20 });
    const r = await instance();
    const id = await newSession(r);
    const { sendMessage } = await gql<Send>(r, SEND, { s: id, c: 'count' });
    const response = await fetch(r.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: RUN_EVENTS, variables: { r: sendMessage.run.id, after: 0 } }),
    });
    const text = await response.text();
    const data = [...text.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1] as string) as { data?: { runEvents: Event } }).flatMap((d) => (d.data ? [d.data.runEvents] : []));
    expect(data.map((e) => [e.offset, e.type, e.text])).toEqual([
      [1, 'DELTA', 'one'],
      [2, 'DELTA', ' two'],
      [3, 'END', null],
    ]);
    expect(text).toContain('event: complete');
  });

  it('a client that reloads mid-reply resumes with afterOffset and gets the exact reply, no gap, no duplicate', async () => {
    model.script({ tokens: tokens(40), delayMs: 15 });
    const r = await instance();
    const id = await newSession(r);
    const { sendMessage } = await gql<Send>(r, SEND, { s: id, c: 'talk' });
    const first = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await first.received(5);
    first.unsubscribe();
    const seen = first.values.map((v) => v.runEvents);
    const last = seen.at(-1)?.offset as number;
    const second = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: last });
    await second.completed;
    const rest = second.values.map((v) => v.runEvents);
    const all = [...seen, ...rest];
    expect(all.map((e) => e.offset)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    const end = all.at(-1) as Event;
    expect(all.slice(0, -1).map((e) => e.text).join('')).toBe(end.message?.content);
    expect(end.message?.content).toBe(tokens(40).join(''));
    // After the end, a replay from 0 still gives everything.
    const again = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await again.completed;
    expect(again.values).toHaveLength(41);
  });

  it('cancelRun over the API stops the reply within a second', async () => {
    model.script({ tokens: tokens(200), delayMs: 20 });
    const r = await instance();
    const id = await newSession(r);
    const { sendMessage } = await gql<Send>(r, SEND, { s: id, c: 'go on' });
    const events = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await events.received(3);
    const started = performance.now();
    const { cancelRun } = await gql<{ cancelRun: { status: string } }>(r, 'mutation($r: ID!) { cancelRun(id: $r) { ... on Run { status } ... on Error { message } } }', { r: sendMessage.run.id });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cancelRun.status).toBe('CANCELLED');
    await events.completed;
    const end = events.values.at(-1)?.runEvents;
    expect(end).toMatchObject({ type: 'END', run: { status: 'CANCELLED' }, message: { role: 'ASSISTANT' } });
    expect(events.values.length).toBeLessThan(200);
  });

  it('after RUN_EVENTS_RETAIN_MS a finished run replays as its END alone, which holds the whole reply', async () => {
    model.script({ tokens: ['short', ' one'] });
    const runChannel = createRunChannel({ retainMs: 50 });
    const r = await startApp({}, undefined, { provider: provider(), runChannel });
    running.push(r);
    const id = await newSession(r);
    const { sendMessage } = await gql<Send>(r, SEND, { s: id, c: 'x' });
    for (let i = 0; i < 100 && (await r.app.service.getRun(sendMessage.run.id)).status !== 'SUCCEEDED'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const events = subscribe<{ runEvents: Event }>(r.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await events.completed;
    expect(events.values.map((v) => v.runEvents)).toEqual([
      { offset: 3, type: 'END', text: null, run: { status: 'SUCCEEDED', error: null }, message: { role: 'ASSISTANT', content: 'short one', seq: 2 } },
    ]);
  });

  it('REJECT is a typed ConflictError; bad input is a ValidationError; an unknown run is null', async () => {
    model.script({ tokens: tokens(20), delayMs: 30 });
    const r = await instance();
    const id = await newSession(r);
    await gql<Send>(r, SEND, { s: id, c: 'first' });
    const second = await gql<{ sendMessage: { __typename: string; reason?: string } }>(
      r,
      'mutation($s: ID!) { sendMessage(sessionId: $s, message: { content: "again" }) { __typename ... on ConflictError { reason } } }',
      { s: id },
    );
    expect(second.sendMessage).toEqual({ __typename: 'ConflictError', reason: 'RUN_ACTIVE' });
    const bad = await gql<{ sendMessage: { __typename: string } }>(
      r,
      'mutation($s: ID!) { sendMessage(sessionId: $s, message: { content: "x" }, run: { temperature: 9, strategy: ENQUEUE }) { __typename } }',
      { s: id },
    );
    expect(bad.sendMessage.__typename).toBe('ValidationError');
    expect(await gql(r, '{ run(id: "nope") { id } }')).toEqual({ run: null });
  });
});

const unavailable = await redisUnavailable(REDIS_URL);
if (unavailable) console.warn(`SKIPPED: the cross-instance run tests need Redis at ${REDIS_URL}: ${unavailable}`);
const describeRedis = unavailable ? describe.skip : describe;

describeRedis(`runs across two instances sharing storage and Redis at ${REDIS_URL}`, () => {
  it("moves a sweep's END after the last event in Redis, and drops what a writer that lost the run sends after it", async () => {
    const channel = createRunChannel({ redisUrl: REDIS_URL });
    closers.push(() => channel.close());
    await eventually(() => channel.isUp(), 5000, 'Redis connected');
    const runId = `swept-${Date.now()}`;
    const run = { id: runId, status: 'FAILED', createdAt: new Date(), startedAt: null, endedAt: new Date(), leaseExpiresAt: null } as unknown as import('../../src/core/run.js').Run;
    const live = await channel.open(runId, 0, { buffer: 100, onOverflow: () => {}, endFromStorage: async () => null });
    channel.publish({ type: 'DELTA', runId, offset: 1, text: 'a' });
    channel.publish({ type: 'DELTA', runId, offset: 2, text: 'b' });
    channel.publish({ type: 'END', runId, offset: 2, run, message: null }); // the sweep knew of one event only
    channel.publish({ type: 'DELTA', runId, offset: 2, text: 'taken' });
    channel.publish({ type: 'DELTA', runId, offset: 3, text: 'after the end' });
    const got: { offset: number; type: string }[] = [];
    for await (const event of live) got.push({ offset: event.offset, type: event.type });
    expect(got).toEqual([
      { offset: 1, type: 'DELTA' },
      { offset: 2, type: 'DELTA' },
      { offset: 3, type: 'END' },
    ]);
    const replay: { offset: number; type: string }[] = [];
    for await (const event of await channel.open(runId, 0, { buffer: 100, onOverflow: () => {}, endFromStorage: async () => null })) replay.push({ offset: event.offset, type: event.type });
    expect(replay).toEqual(got);
    expect(await channel.lastOffset(runId)).toBe(3);
  });

  it('follows a run from the other instance, from its start, mid-reply, and cancels it from there', async () => {
    model.script({ tokens: tokens(200), delayMs: 20 });
    const storage = createMemoryStorage();
    const a = await instance({ storage, redis: true });
    const b = await instance({ storage, redis: true });
    const id = await newSession(a);
    const { sendMessage } = await gql<Send>(a, SEND, { s: id, c: 'long story' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // b joins mid-reply
    const events = subscribe<{ runEvents: Event }>(b.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await events.received(15);
    const started = performance.now();
    const { cancelRun } = await gql<{ cancelRun: { status: string } }>(b, 'mutation($r: ID!) { cancelRun(id: $r) { ... on Run { status } } }', { r: sendMessage.run.id });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cancelRun.status).toBe('CANCELLED');
    await events.completed;
    const got = events.values.map((v) => v.runEvents);
    expect(got.map((e) => e.offset)).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    const end = got.at(-1) as Event;
    expect(end).toMatchObject({ type: 'END', run: { status: 'CANCELLED' } });
    expect(got.slice(0, -1).map((e) => e.text).join('')).toBe(end.message?.content);
  });

  it('a run whose instance stops answering is marked FAILED (LEASE_EXPIRED) by the other, whose subscribers get the END', async () => {
    model.script({ tokens: tokens(500), delayMs: 20 });
    const shared = createMemoryStorage();
    let partitioned = false;
    // a's view of the shared storage: it fails once a is cut off, as a dead or partitioned instance's would.
    const cut = new Proxy(shared, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (partitioned ? Promise.reject(new Error('partitioned')) : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    const a = await instance({ storage: cut, redis: true, leaseMs: 300 });
    const b = await instance({ storage: shared, redis: true, leaseMs: 300 });
    const id = await newSession(b);
    const { sendMessage } = await gql<Send>(a, SEND, { s: id, c: 'long story' });
    const events = subscribe<{ runEvents: Event }>(b.ws(), RUN_EVENTS, { r: sendMessage.run.id, after: 0 });
    await events.received(3);
    partitioned = true;
    await events.completed;
    const got = events.values.map((v) => v.runEvents);
    expect(got.map((e) => e.offset)).toEqual(got.map((_, i) => i + 1));
    const end = got.at(-1);
    expect(end).toMatchObject({ type: 'END', run: { status: 'FAILED', error: { code: 'LEASE_EXPIRED' } } });
    const run = await b.app.service.getRun(sendMessage.run.id);
    expect(run.status).toBe('FAILED');
    expect(await b.app.service.activeRun(id)).toBeNull();
    partitioned = false;
  });
});
