import type { Message } from '../core/model.js';
import type { SessionService } from '../core/service/index.js';
import type { RunEvent } from '../core/run.js';
import type { EventBus } from './bus.js';
import type { LiveRunChannel } from './run-channel.js';
import { openMessageStream, type StreamLimits } from './message-stream.js';
import type { LiveQueue, Overflow } from './queue.js';
import { openSessionStream, type SessionChange } from './session-stream.js';

/** What live subscriptions can open: the GraphQL layer's view of the event bus. */
export interface LiveStreams {
  messages(sessionId: string, afterSeq: number | null, onOverflow: Overflow<Message>): Promise<LiveQueue<Message>>;
  /** `resyncFirst`: a RESYNC first, once the stream is live (see openSessionStream). */
  sessions(ownerId: string | null, onOverflow: Overflow<SessionChange>, resyncFirst: boolean): Promise<LiveQueue<SessionChange>>;
  /** A run's events after `afterOffset`: replayed, then live, ending with its END. */
  runEvents(runId: string, afterOffset: number, onOverflow: Overflow<RunEvent>): Promise<LiveQueue<RunEvent>>;
}

export function createLiveStreams(deps: { service: SessionService; bus: EventBus; runs: LiveRunChannel }, limits: StreamLimits): LiveStreams {
  return {
    runEvents: (runId, afterOffset, onOverflow) =>
      deps.runs.open(runId, afterOffset, {
        // A reply has at most maxOutputTokens deltas: a replay of a whole one fits.
        buffer: limits.buffer + deps.service.limits.maxOutputTokens + 2,
        onOverflow,
        endFromStorage: () => deps.service.endEvent(runId),
      }),
    messages: (sessionId, afterSeq, onOverflow) => openMessageStream(deps, sessionId, afterSeq, limits, onOverflow),
    sessions: (ownerId, onOverflow, resyncFirst) => openSessionStream(deps.bus, ownerId, limits.buffer, onOverflow, resyncFirst),
  };
}
