import type { Message } from '../core/model.js';
import type { SessionService } from '../core/service/index.js';
import type { EventBus } from './bus.js';
import { openMessageStream, type StreamLimits } from './message-stream.js';
import type { LiveQueue } from './queue.js';
import { openSessionStream, type SessionChange } from './session-stream.js';

/** What live subscriptions can open: the GraphQL layer's view of the event bus. */
export interface LiveStreams {
  messages(sessionId: string, afterSeq: number | null, onOverflow: (queue: LiveQueue<Message>) => void): Promise<LiveQueue<Message>>;
  sessions(ownerId: string | null, onOverflow: (queue: LiveQueue<SessionChange>) => void): Promise<LiveQueue<SessionChange>>;
}

export function createLiveStreams(deps: { service: SessionService; bus: EventBus }, limits: StreamLimits): LiveStreams {
  return {
    messages: (sessionId, afterSeq, onOverflow) => openMessageStream(deps, sessionId, afterSeq, limits, onOverflow),
    sessions: (ownerId, onOverflow) => openSessionStream(deps.bus, ownerId, limits.buffer, onOverflow),
  };
}
