import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import type { Message, Session } from '../../src/core/model.js';
import { createSessionService } from '../../src/core/service/index.js';
import { createEventBus } from '../../src/events.js';
import { openMessageStream } from '../../src/live/message-stream.js';

function setup() {
  const bus = createEventBus();
  const service = createSessionService({ storage: createMemoryStorage(), events: bus });
  return { bus, service };
}

const message = (session: Session, seq: number, createdAt = new Date()): Message => ({
  id: `m${seq}`,
  sessionId: session.id,
  seq,
  role: 'USER',
  content: `c${seq}`,
  name: null,
  metadata: {},
  createdAt,
  clientId: null,
});

async function take(stream: AsyncIterator<Message>, count: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < count) {
    const { value, done } = await stream.next();
    if (done) break;
    seqs.push(value.seq);
  }
  return seqs;
}

const noOverflow = () => {
  throw new Error('unexpected overflow');
};

describe('the live message stream', () => {
  it('delivers announcements that arrive out of order in seq order', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const stream = await openMessageStream(deps, session.id, null, { buffer: 100, settleMs: 5000 }, noOverflow);
    deps.bus.publish({ type: 'MESSAGES_ADDED', session, messages: [message(session, 3), message(session, 4)] });
    deps.bus.publish({ type: 'MESSAGES_ADDED', session, messages: [message(session, 1), message(session, 2)] });
    deps.bus.publish({ type: 'MESSAGES_ADDED', session, messages: [message(session, 2), message(session, 5)] });
    expect(await take(stream, 5)).toEqual([1, 2, 3, 4, 5]);
    await stream.return?.();
    expect(deps.bus.listenerCount()).toBe(0);
  });

  it('goes past a seq that never comes once settleMs has passed and storage does not have it', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const stream = await openMessageStream(deps, session.id, null, { buffer: 100, settleMs: 50 }, noOverflow);
    const started = Date.now();
    deps.bus.publish({ type: 'MESSAGES_ADDED', session, messages: [message(session, 2)] });
    expect(await take(stream, 1)).toEqual([2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('replays stored history with holes (an imported document) without waiting', async () => {
    const deps = setup();
    const old = '2025-01-01T00:00:00.000Z';
    const doc = {
      format: 'parley.session',
      version: 1,
      session: { id: 'holes', ownerId: null, title: null, model: null, systemPrompt: null, context: {}, metadata: {}, createdAt: old, updatedAt: old, version: 1, forkedFrom: null, mergedFrom: [] },
      messages: [1, 2, 5, 6].map((seq) => ({ id: `h${seq}`, seq, role: 'user', content: `c${seq}`, name: null, metadata: {}, createdAt: old, clientId: null })),
    };
    await deps.service.importSession(doc);
    const stream = await openMessageStream(deps, 'holes', 0, { buffer: 100, settleMs: 60_000 }, noOverflow);
    expect(await take(stream, 4)).toEqual([1, 2, 5, 6]);
  });

  it('calls onOverflow once more than `buffer` events wait undelivered, fails once and then ends', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    let overflowed = 0;
    const stream = await openMessageStream(deps, session.id, null, { buffer: 3, settleMs: 1000 }, (queue) => {
      overflowed += 1;
      queue.fail(new Error('too slow'));
    });
    await deps.service.appendMessages(session.id, { messages: Array.from({ length: 5 }, () => ({ role: 'USER' as const, content: 'x' })) });
    expect(overflowed).toBe(1);
    await expect(stream.next()).rejects.toThrow('too slow');
    // The failure is reported once; after it the stream is finished.
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(deps.bus.listenerCount()).toBe(0);
  });
});
