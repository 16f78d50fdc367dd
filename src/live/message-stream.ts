import type { Message } from '../core/model.js';
import type { SessionService } from '../core/service/index.js';
import type { EventBus } from './bus.js';
import { LiveQueue, type Overflow } from './queue.js';

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

/** Brings a stream up to date with storage: what `resyncMessageStream` calls. */
const resyncs = new WeakMap<LiveQueue<Message>, () => void>();

/**
 * Reads storage after the last seq `stream` delivered and delivers what it missed, page by page
 * as the subscriber takes them. For when its events may have been lost (the event bus lost and
 * regained its connection). Does nothing for a stream that has ended.
 */
export function resyncMessageStream(stream: LiveQueue<Message>): void {
  resyncs.get(stream)?.();
}

/**
 * The messages of a session in seq order, without gap nor duplicate: with `afterSeq`, the stored
 * messages after it first, then the live ones; without, live ones from now on. It listens before
 * it reads, so nothing published while replay turns into live is lost, and it delivers by seq
 * whatever order announcements arrive in. A seq that has not arrived is read from storage, however
 * many follow it; it is skipped only once storage has been seen without it settleMs after a later
 * one was written. It ends when the session is deleted.
 */
export async function openMessageStream(
  deps: { service: SessionService; bus: EventBus },
  sessionId: string,
  afterSeq: number | null,
  limits: StreamLimits,
  onOverflow: Overflow<Message>,
): Promise<LiveQueue<Message>> {
  const queue: LiveQueue<Message> = new LiveQueue(limits.buffer, (undelivered) => onOverflow(queue, undelivered));
  const page = Math.max(1, Math.min(MAX_PAGE, Math.floor(limits.buffer / 2)));
  const pending = new Map<number, Message>();
  // When each pending message was first seen: a clock ahead of ours must not stretch the wait.
  const seenAt = new Map<number, number>();
  // The last seq delivered; null until the starting point is known (events are kept meanwhile).
  let delivered: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  // The last storage read: every seq in (from, to] that it did not return was absent at `at`.
  let checked: { from: number; to: number; at: number } | null = null;
  let syncing = false;
  let syncAgain = false;

  function accept(messages: readonly Message[]): void {
    const now = Date.now();
    for (const m of messages) {
      if ((delivered === null || m.seq > delivered) && !pending.has(m.seq)) {
        pending.set(m.seq, m);
        seenAt.set(m.seq, now);
      }
    }
    if (pending.size > limits.buffer) onOverflow(queue, queue.pending + pending.size);
    else drain();
  }

  /** True when storage was read without `seq` at least settleMs after `successor` was written. */
  function knownAbsent(seq: number, successor: Message): boolean {
    if (!checked || checked.from >= seq || checked.to < seq) return false;
    const written = Math.min(successor.createdAt.getTime(), seenAt.get(successor.seq) ?? Number.POSITIVE_INFINITY);
    return checked.at - written >= limits.settleMs;
  }

  /** Delivers pending messages in seq order; a missing seq is read from storage once it has had time to settle. */
  function drain(): void {
    while (delivered !== null && pending.size > 0 && !queue.isEnded) {
      const m = pending.get(delivered + 1);
      if (m) {
        pending.delete(m.seq);
        seenAt.delete(m.seq);
        delivered = m.seq;
        queue.push(m);
        continue;
      }
      const successor = pending.get(Math.min(...pending.keys())) as Message;
      if (knownAbsent(delivered + 1, successor)) {
        delivered = Math.min(successor.seq - 1, (checked as { to: number }).to);
        continue;
      }
      if (!syncing && !timer) {
        const written = Math.min(successor.createdAt.getTime(), seenAt.get(successor.seq) as number);
        timer = setTimeout(resyncFromStorage, Math.max(0, written + limits.settleMs - Date.now()));
      }
      return;
    }
  }

  /**
   * Reads storage after the last delivered seq until it has nothing more to give or shows a hole
   * too young to skip, waiting for the subscriber to take each page before reading the next.
   */
  function resyncFromStorage(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (delivered === null || queue.isEnded) return;
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    const sync = async () => {
      do {
        syncAgain = false;
        while (!queue.isEnded) {
          const from = delivered as number;
          const at = Date.now();
          const stored = await read(from);
          const last = stored[stored.length - 1];
          const full = stored.length >= page && last !== undefined;
          checked = { from, to: full ? last.seq : Number.POSITIVE_INFINITY, at };
          accept(stored);
          if (!full || delivered === from) break;
          await queue.waitForRoom(page);
        }
      } while (syncAgain && !queue.isEnded);
    };
    sync().then(
      () => {
        syncing = false;
        drain();
      },
      (error: unknown) => {
        syncing = false;
        queue.fail(error);
      },
    );
  }

  const read = async (after: number) =>
    (await deps.service.history(sessionId, { first: page, after: String(after) })).edges.map((e) => e.node);

  const unsubscribe = await deps.bus.subscribe({ session: sessionId }, (event) => {
    if (event.type === 'MESSAGES_ADDED') accept(event.messages);
    else if (event.type === 'SESSION_DELETED') queue.end();
    // The bus lost and regained its connection: announcements may be lost, storage has them.
    else if (event.type === 'RESYNC') resyncFromStorage();
  });
  resyncs.set(queue, resyncFromStorage);
  queue.onEnd(() => {
    unsubscribe();
    resyncs.delete(queue);
    if (timer) clearTimeout(timer);
  });
  try {
    const { lastSeq } = await deps.service.getSession(sessionId);
    const start = afterSeq ?? lastSeq;
    delivered = start;
    for (const seq of pending.keys()) {
      if (seq > start) continue;
      pending.delete(seq);
      seenAt.delete(seq);
    }
    if (start < lastSeq) resyncFromStorage();
    else drain();
  } catch (error) {
    void queue.return();
    throw error;
  }
  return queue;
}
