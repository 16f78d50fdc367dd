import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import type { Message, Session } from '../../src/core/model.js';
import { createSessionService } from '../../src/core/service/index.js';
import { createEventBus, type BusEvent, type EventBus } from '../../src/live/bus.js';
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

/** The seqs of the next `count` messages, or of those that arrived within `timeoutMs`. */
async function take(stream: AsyncIterator<Message>, count: number, timeoutMs = 5000): Promise<number[]> {
  const seqs: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (seqs.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), null)));
    const step = await Promise.race([stream.next(), late]);
    clearTimeout(timer);
    if (!step || step.done) break;
    seqs.push(step.value.seq);
  }
  return seqs;
}

/** A bus whose subscribers miss MESSAGES_ADDED events while `withhold` is on, as across a Redis reconnect. */
function withholding(bus: EventBus) {
  const control = { withhold: false };
  const wrapped: EventBus = {
    publish: (event) => bus.publish(event),
    subscribe: (topic, listener) => bus.subscribe(topic, (event) => (control.withhold && event.type === 'MESSAGES_ADDED' ? undefined : listener(event))),
    listenerCount: () => bus.listenerCount(),
    isUp: () => bus.isUp(),
    close: () => bus.close(),
  };
  return { bus: wrapped, control };
}

const append = (deps: ReturnType<typeof setup>, sessionId: string, count: number) =>
  deps.service.appendMessages(sessionId, { messages: Array.from({ length: count }, (_, i) => ({ role: 'USER' as const, content: `m${i}` })) });

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

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

  it('reads storage until a gap of several pages is closed, delivering every seq once and in order', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const held = withholding(deps.bus);
    const stream = await openMessageStream({ ...deps, bus: held.bus }, session.id, null, { buffer: 1000, settleMs: 50 }, noOverflow);
    await append(deps, session.id, 1);
    held.control.withhold = true;
    // 350 messages the subscriber never hears of: three and a half pages of storage.
    for (let i = 0; i < 7; i++) await append(deps, session.id, 50);
    held.control.withhold = false;
    await append(deps, session.id, 1);
    expect(await take(stream, 352)).toEqual(range(1, 352));
    await append(deps, session.id, 1);
    expect(await take(stream, 1)).toEqual([353]);
    await stream.return?.();
  });

  it('reads what it missed from storage when the bus says RESYNC, with no later message to reveal the gap', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const held = withholding(deps.bus);
    const listeners: ((event: BusEvent) => void)[] = [];
    const bus: EventBus = {
      ...held.bus,
      subscribe: (topic, listener) => {
        listeners.push(listener);
        return held.bus.subscribe(topic, listener);
      },
    };
    const stream = await openMessageStream({ ...deps, bus }, session.id, null, { buffer: 1000, settleMs: 50 }, noOverflow);
    await append(deps, session.id, 1);
    expect(await take(stream, 1)).toEqual([1]);
    held.control.withhold = true;
    // An outage: 250 messages are stored, their announcements lost.
    for (let i = 0; i < 5; i++) await append(deps, session.id, 50);
    held.control.withhold = false;
    for (const listener of listeners) listener({ type: 'RESYNC' });
    expect(await take(stream, 250)).toEqual(range(2, 251));
    await append(deps, session.id, 1);
    expect(await take(stream, 1)).toEqual([252]);
    await stream.return?.();
  });

  it('fills a long gap page by page as a slow subscriber takes them, without overflowing its buffer', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const held = withholding(deps.bus);
    let overflowed = 0;
    const stream = await openMessageStream({ ...deps, bus: held.bus }, session.id, null, { buffer: 40, settleMs: 20 }, (queue) => {
      overflowed += 1;
      queue.fail(new Error('too slow'));
    });
    held.control.withhold = true;
    for (let i = 0; i < 10; i++) await append(deps, session.id, 35);
    held.control.withhold = false;
    await append(deps, session.id, 1);
    // The subscriber takes nothing for a while: the stream must wait for it rather than read ahead.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(overflowed).toBe(0);
    const seqs: number[] = [];
    while (seqs.length < 351) {
      const got = await take(stream, Math.min(7, 351 - seqs.length), 2000);
      if (got.length === 0) break;
      seqs.push(...got);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(seqs).toEqual(range(1, 351));
    expect(overflowed).toBe(0);
  });

  it('never goes past a seq that storage has, however late an announcement arrives', async () => {
    const deps = setup();
    const session = await deps.service.createSession({});
    const held = withholding(deps.bus);
    const stream = await openMessageStream({ ...deps, bus: held.bus }, session.id, null, { buffer: 1000, settleMs: 30 }, noOverflow);
    held.control.withhold = true;
    const { messages } = await append(deps, session.id, 4);
    held.control.withhold = false;
    // Seq 4 is announced long after it was written (a bus that delivers late); 1..3 never are.
    const fourth = messages[3]!;
    deps.bus.publish({ type: 'MESSAGES_ADDED', session, messages: [{ ...fourth, createdAt: new Date(Date.now() - 10_000) }] });
    expect(await take(stream, 4, 2000)).toEqual([1, 2, 3, 4]);
  });
});
