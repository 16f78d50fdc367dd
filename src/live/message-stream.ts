import type { Message } from '../core/model.js';
import type { SessionService } from '../core/service/index.js';
import type { EventBus } from '../events.js';
import { LiveQueue } from './queue.js';

export interface StreamLimits {
  /** Undelivered messages a subscriber may fall behind by before it is cut off. */
  buffer: number;
  /**
   * How long a missing seq is awaited before it is taken for a permanent hole. Appends to one
   * session run concurrently and can be announced out of order (and, with MongoDB, an append can
   * become visible before an earlier one): a later message waits this long for the earlier ones.
   */
  settleMs: number;
}

/** Stored messages read at once while replaying; at most half the buffer so a replay never overflows it. */
const MAX_PAGE = 100;

/**
 * The messages of a session in seq order, without gap nor duplicate: with `afterSeq`, the stored
 * messages after it first, then the live ones; without, live ones from now on. It listens before
 * it reads, so nothing published while replay turns into live is lost, and it delivers by seq
 * whatever order announcements arrive in. It ends when the session is deleted.
 */
export async function openMessageStream(
  deps: { service: SessionService; bus: EventBus },
  sessionId: string,
  afterSeq: number | null,
  limits: StreamLimits,
  onOverflow: (queue: LiveQueue<Message>) => void,
): Promise<LiveQueue<Message>> {
  const queue: LiveQueue<Message> = new LiveQueue(limits.buffer, () => onOverflow(queue));
  const page = Math.max(1, Math.min(MAX_PAGE, Math.floor(limits.buffer / 2)));
  const pending = new Map<number, Message>();
  // The last seq delivered; null until the starting point is known (events are kept meanwhile).
  let delivered: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  function accept(messages: readonly Message[]): void {
    for (const m of messages) if ((delivered === null || m.seq > delivered) && !pending.has(m.seq)) pending.set(m.seq, m);
    if (pending.size > limits.buffer) onOverflow(queue);
    else drain();
  }

  /** Delivers pending messages in seq order; a hole younger than settleMs is waited for. */
  function drain(): void {
    while (delivered !== null && pending.size > 0 && !queue.isEnded) {
      let next = delivered + 1;
      let m = pending.get(next);
      if (!m) {
        next = Math.min(...pending.keys());
        m = pending.get(next) as Message;
        const age = Date.now() - m.createdAt.getTime();
        if (age < limits.settleMs) {
          timer ??= setTimeout(fillHole, limits.settleMs - age);
          return;
        }
      }
      pending.delete(next);
      delivered = next;
      queue.push(m);
    }
  }

  /** A seq is still missing: read storage after the last delivered one, then go past what is not there. */
  function fillHole(): void {
    timer = null;
    const from = delivered as number;
    read(from).then(
      (found) => {
        for (const m of found) if (m.seq > from) pending.set(m.seq, m);
        if (delivered === from && !pending.has(from + 1) && pending.size > 0) delivered = Math.min(...pending.keys()) - 1;
        drain();
      },
      (error: unknown) => queue.fail(error),
    );
  }

  const read = async (after: number) =>
    (await deps.service.history(sessionId, { first: page, after: String(after) })).edges.map((e) => e.node);

  /** Reads stored messages up to `upTo`, a page at a time, as fast as the subscriber takes them. */
  async function replay(from: number, upTo: number): Promise<void> {
    let cursor = from;
    while (cursor < upTo && !queue.isEnded) {
      const stored = await read(cursor);
      const last = stored[stored.length - 1];
      if (!last) return;
      accept(stored);
      cursor = last.seq;
      await queue.waitForRoom(page);
    }
  }

  const unsubscribe = await deps.bus.subscribe({ session: sessionId }, (event) => {
    if (event.type === 'MESSAGES_ADDED') accept(event.messages);
    else if (event.type === 'SESSION_DELETED') queue.end();
  });
  queue.onEnd(() => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  });
  try {
    const { lastSeq } = await deps.service.getSession(sessionId);
    const start = afterSeq ?? lastSeq;
    delivered = start;
    for (const seq of pending.keys()) if (seq <= start) pending.delete(seq);
    if (start < lastSeq) void replay(start, lastSeq).catch((error: unknown) => queue.fail(error));
    else drain();
  } catch (error) {
    void queue.return();
    throw error;
  }
  return queue;
}
