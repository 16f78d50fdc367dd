import type { Message, Session } from './model.js';

/** What the session service announces after each successful write. */
export type SessionEvent =
  | { type: 'SESSION_CREATED'; session: Session }
  | { type: 'SESSION_UPDATED'; session: Session }
  | { type: 'SESSION_DELETED'; session: Session }
  /** New messages (never retries of stored ones), in seq order, with the session after the append. */
  | { type: 'MESSAGES_ADDED'; session: Session; messages: Message[] };

export type SessionEventType = SessionEvent['type'];

/**
 * Where events go. `publish` is called after the write has succeeded and must not throw: a sink
 * that can fail (a network broker) reports its own errors, since the write cannot be undone.
 */
export interface EventSink {
  publish(event: SessionEvent): void;
}

export const noEvents: EventSink = { publish() {} };
