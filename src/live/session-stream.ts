import type { BusEvent, EventBus } from './bus.js';
import { LiveQueue, type Overflow } from './queue.js';

/**
 * A change as the bus delivers it: the same object for every subscriber, so that subscribers
 * with the same query share one execution (src/server/plugins/shared-events.ts). RESYNC carries no
 * session: the bus lost events, and the list must be read again.
 */
export type SessionChange = BusEvent;

export type ChangeType = 'CREATED' | 'UPDATED' | 'DELETED' | 'RESYNC';

/** How a live session list sees a change: new messages are an update of the session. */
export const changeType = (change: SessionChange): ChangeType => CHANGE[change.type];

const CHANGE: Record<BusEvent['type'], ChangeType> = {
  SESSION_CREATED: 'CREATED',
  SESSION_UPDATED: 'UPDATED',
  MESSAGES_ADDED: 'UPDATED',
  SESSION_DELETED: 'DELETED',
  RESYNC: 'RESYNC',
};

/**
 * Changes to the sessions of one owner (of every owner with null), from now on, for live session
 * lists. With `resyncFirst`, a RESYNC comes first, queued once the bus delivers to the stream: a
 * list read when it arrives misses no change, where one read before subscribing can miss a change
 * made while the subscription starts.
 */
export async function openSessionStream(
  bus: EventBus,
  ownerId: string | null,
  buffer: number,
  onOverflow: Overflow<SessionChange>,
  resyncFirst = false,
): Promise<LiveQueue<SessionChange>> {
  const queue: LiveQueue<SessionChange> = new LiveQueue(buffer, (undelivered) => onOverflow(queue, undelivered));
  const unsubscribe = await bus.subscribe({ owner: ownerId }, (event) => queue.push(event));
  queue.onEnd(unsubscribe);
  if (resyncFirst) queue.push({ type: 'RESYNC' });
  return queue;
}
