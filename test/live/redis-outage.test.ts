import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, type BusEvent, type EventBus, type Topic } from '../../src/live/bus.js';
import { eventually, startApp, subscribe, type Running, type Subscription } from './helpers.js';
import { startOwnRedis, type OwnRedis } from './redis-server.js';

// Outages are simulated on a redis-server of this file's own (never the shared one on 6379).
const FAST = { heartbeatMs: 200, timeoutMs: 1000 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ownRedis(): Promise<OwnRedis> {
  const redis = await startOwnRedis();
  cleanups.push(() => redis.stop());
  return redis;
}

function bus(redisUrl: string): EventBus {
  const events = createEventBus({ redisUrl, ...FAST });
  cleanups.push(() => events.close());
  return events;
}

async function app(events: EventBus): Promise<Running> {
  const running = await startApp({}, events);
  cleanups.push(() => running.stop());
  return running;
}

/** Settles with the value, or fails naming what did not answer in time. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
}

const SESSION_EVENTS = 'subscription { sessionEvents { type sessionId session { id title } } }';
type SessionEvents = { sessionEvents: { type: string; sessionId: string | null; session: { id: string; title: string | null } | null } };

/** Resolves once the subscription delivers: an event is published through the bus and received. */
async function live(running: Running): Promise<Subscription<SessionEvents>> {
  const sub = subscribe<SessionEvents>(running.ws(), SESSION_EVENTS);
  await eventually(() => running.app.events.listenerCount() === 1 && running.app.events.isUp(), 5000, 'the subscription');
  const probe = await running.app.service.createSession({ title: 'probe' });
  const [first] = await sub.received(1);
  expect(first?.sessionEvents.sessionId).toBe(probe.id);
  sub.values.length = 0;
  return sub;
}

const ready = async (running: Running) => {
  const response = await running.app.yoga.fetch('http://parley.test/ready');
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the Redis event bus through an outage', () => {
  it('sends RESYNC to every subscriber of every topic once Redis is back, then delivers live events again', async () => {
    const redis = await ownRedis();
    const events = bus(redis.url);
    const topics: Topic[] = [{ session: 's1' }, { session: 's2' }, { owner: 'o1' }, { owner: null }];
    const received = topics.map(() => [] as BusEvent[]);
    for (const [i, topic] of topics.entries()) await events.subscribe(topic, (event) => received[i]?.push(event));
    expect(events.isUp()).toBe(true);

    await redis.kill();
    await eventually(() => !events.isUp(), 5000, 'the bus to notice the outage');
    await redis.restart();
    await eventually(() => received.every((r) => r.some((e) => e.type === 'RESYNC')), 10_000, 'RESYNC on every topic');
    expect(received.map((r) => r.map((e) => e.type))).toEqual(topics.map(() => ['RESYNC']));
    expect(events.isUp()).toBe(true);

    const session = { id: 's1', ownerId: 'o1' } as never;
    events.publish({ type: 'SESSION_DELETED', session });
    await eventually(() => received[0]?.length === 2 && received[2]?.length === 2 && received[3]?.length === 2, 5000, 'a live event after RESYNC');
    expect(received[1]?.map((e) => e.type)).toEqual(['RESYNC']);
  });

  it('tells sessionEvents subscribers to refetch, fails new subscriptions quickly, and reports itself on /ready', async () => {
    const redis = await ownRedis();
    const running = await app(bus(redis.url));
    const sub = await live(running);
    expect((await ready(running)).status).toBe(200);

    await redis.kill();
    await eventually(() => !running.app.events.isUp(), 5000, 'the bus to notice the outage');
    expect(await ready(running)).toEqual({ status: 503, body: { status: 'unavailable', checks: { storage: 'ok', eventBus: 'unreachable' } } });

    // A write during the outage is stored and answers at once; its event cannot travel.
    const created = await within(3000, 'createSession during the outage', running.app.service.createSession({ title: 'during' }));
    expect(await running.app.service.getSession(created.id)).toMatchObject({ title: 'during' });

    // A new subscription fails with a typed error rather than waiting for Redis.
    const refused = subscribe<SessionEvents>(running.ws(), SESSION_EVENTS);
    await within(6000, 'a subscription started during the outage', refused.completed);
    expect(refused.values).toEqual([]);
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'EVENT_BUS_UNAVAILABLE' }) })]);

    await redis.restart();
    const [resync] = await sub.received(1, 10_000);
    expect(resync).toEqual({ sessionEvents: { type: 'RESYNC', sessionId: null, session: null } });
    await eventually(() => running.app.events.isUp(), 5000, 'the bus back up');
    expect(await ready(running)).toEqual({ status: 200, body: { status: 'ready', checks: { storage: 'ok', eventBus: 'ok' } } });

    const after = await running.app.service.createSession({ title: 'after' });
    const [, next] = await sub.received(2);
    expect(next).toEqual({ sessionEvents: { type: 'CREATED', sessionId: after.id, session: { id: after.id, title: 'after' } } });
  });

  it('gives up on a Redis that hangs (SIGSTOP): subscriptions fail within seconds, writes answer, RESYNC follows its return', async () => {
    const redis = await ownRedis();
    const running = await app(bus(redis.url));
    const sub = await live(running);

    redis.pause();
    cleanups.push(async () => redis.resume());
    const refused = subscribe<SessionEvents>(running.ws(), SESSION_EVENTS);
    await within(6000, 'a subscription started while Redis hangs', refused.completed);
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'EVENT_BUS_UNAVAILABLE' }) })]);
    await within(3000, 'createSession while Redis hangs', running.app.service.createSession({ title: 'hung' }));
    await eventually(() => !running.app.events.isUp(), 5000, 'the bus to notice the hang');
    expect(await ready(running)).toEqual({ status: 503, body: { status: 'unavailable', checks: { storage: 'ok', eventBus: 'unreachable' } } });

    redis.resume();
    // The CREATED sent into the hung connection may arrive first, or not at all; RESYNC follows in any case.
    await eventually(() => sub.values.some((v) => v.sessionEvents.type === 'RESYNC'), 10_000, 'RESYNC');
    await eventually(() => running.app.events.isUp(), 5000, 'the bus back up');
  });
});
