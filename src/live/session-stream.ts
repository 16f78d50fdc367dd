import type { SessionEvent } from '../core/events.js';
import type { Session } from '../core/model.js';
import type { EventBus } from '../events.js';
import { LiveQueue } from './queue.js';

export type SessionChange = { type: 'CREATED' | 'UPDATED' | 'DELETED'; session: Session };

const CHANGE: Record<SessionEvent['type'], SessionChange['type']> = {
  SESSION_CREATED: 'CREATED',
  SESSION_UPDATED: 'UPDATED',
  MESSAGES_ADDED: 'UPDATED',
  SESSION_DELETED: 'DELETED',
};

/** Changes to the sessions of one owner (of every owner with null), from now on, for live session lists. */
export async function openSessionStream(
  bus: EventBus,
  ownerId: string | null,
  buffer: number,
  onOverflow: (queue: LiveQueue<SessionChange>) => void,
): Promise<LiveQueue<SessionChange>> {
  const queue: LiveQueue<SessionChange> = new LiveQueue(buffer, () => onOverflow(queue));
  const unsubscribe = await bus.subscribe({ owner: ownerId }, (event) => {
    queue.push({ type: CHANGE[event.type], session: event.session });
  });
  queue.onEnd(unsubscribe);
  return queue;
}
