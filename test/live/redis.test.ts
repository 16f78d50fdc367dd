import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/live/bus.js';
import { eventually, MESSAGE_ADDED, redisUnavailable, startApp, subscribe, type MessageAdded, type Running } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';


const unavailable = await redisUnavailable(REDIS_URL);
if (unavailable) console.warn(`SKIPPED: the Redis tests need Redis at ${REDIS_URL}: ${unavailable}`);
const describeRedis = unavailable ? describe.skip : describe;
const title = unavailable ? `two instances sharing Redis (SKIPPED: no Redis at ${REDIS_URL}: ${unavailable})` : `two instances sharing Redis at ${REDIS_URL}`;

const instances: Running[] = [];
afterEach(async () => {
  for (const instance of instances.splice(0)) {
    await instance.stop();
    await instance.app.events.close();
  }
});

async function twoInstances(): Promise<[Running, Running]> {
  const a = await startApp({}, createEventBus({ redisUrl: REDIS_URL }));
  const b = await startApp({}, createEventBus({ redisUrl: REDIS_URL }));
  instances.push(a, b);
  // An instance drops events while its bus is not connected (its /ready answers 503 meanwhile).
  await eventually(() => a.app.events.isUp() && b.app.events.isUp(), 5000, 'both instances connected to Redis');
  return [a, b];
}

describeRedis(title, () => {
  it('delivers a message appended through one instance to a subscriber on the other', async () => {
    const [a, b] = await twoInstances();
    const id = `redis-${Date.now()}`;
    // Both instances serve the same data in production (MongoDB); here, the same session on both.
    await a.app.service.createSession({ id, messages: [{ role: 'USER', content: 'stored' }] });
    await b.app.service.createSession({ id, messages: [{ role: 'USER', content: 'stored' }] });
    const sub = subscribe<MessageAdded>(a.ws(), MESSAGE_ADDED, { id });
    await eventually(() => a.app.events.listenerCount() === 1, 5000, 'the subscription');
    await b.app.service.appendMessages(id, { messages: [{ role: 'ASSISTANT', content: 'from b' }] });
    expect((await sub.received(1)).map((v) => v.messageAdded)).toEqual([{ seq: 2, content: 'from b' }]);
  });

  it('carries session events between instances, dates intact', async () => {
    const [a, b] = await twoInstances();
    const owner = `owner-${Date.now()}`;
    const sub = subscribe<{ sessionEvents: { type: string; session: { createdAt: string } } }>(
      a.ws(),
      'subscription($o: ID) { sessionEvents(ownerId: $o) { type session { createdAt } } }',
      { o: owner },
    );
    await eventually(() => a.app.events.listenerCount() === 1, 5000, 'the subscription');
    const created = await b.app.service.createSession({ ownerId: owner });
    const [event] = await sub.received(1);
    expect(event?.sessionEvents).toEqual({ type: 'CREATED', session: { createdAt: created.createdAt.toISOString() } });
  });
});
