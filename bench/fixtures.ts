import { DEFAULT_LIMITS } from '../src/core/limits.js';
import { createSessionService, type SessionService } from '../src/core/service/index.js';
import type { Storage } from '../src/core/storage.js';

export const CONTENT_LENGTH = 200;
/** The largest append the default limits accept. */
export const BATCH = DEFAULT_LIMITS.maxBatchSize;

const FILLER = 'The quick brown fox jumps over the lazy dog while the assistant explains the plan step by step. ';

/**
 * A distinct message of exactly CONTENT_LENGTH one-byte characters, the same in every process. It
 * is a flat string, as JSON.parse makes them: a plain slice would be a view into a longer string.
 */
export function contentOf(n: number): string {
  return Buffer.from(`#${n} ${FILLER.repeat(3)}`.slice(0, CONTENT_LENGTH), 'latin1').toString('latin1');
}

/**
 * A service for seeding: ids and times are counters, so both servers of a scenario hold exactly
 * the same data and their answers to a read can be compared value for value.
 */
export function createSeedingService(storage: Storage): SessionService {
  let id = 0;
  let tick = Date.parse('2026-01-01T00:00:00.000Z');
  return createSessionService({
    storage,
    newId: () => `seed-${(id += 1)}`,
    now: () => new Date((tick += 1000)),
  });
}

/** Appends `count` alternating USER/ASSISTANT messages to a session, BATCH at a time. */
export async function fillHistory(service: SessionService, sessionId: string, count: number, from = 1): Promise<void> {
  for (let start = from; start < from + count; start += BATCH) {
    const size = Math.min(BATCH, from + count - start);
    const messages = Array.from({ length: size }, (_, k) => ({
      role: (start + k) % 2 === 1 ? ('USER' as const) : ('ASSISTANT' as const),
      content: contentOf(start + k),
    }));
    await service.appendMessages(sessionId, { messages });
  }
}
