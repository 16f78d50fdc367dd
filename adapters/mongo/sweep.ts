import { ObjectId } from 'mongodb';
import { resolveStaleBatch } from './batches.js';
import { deleteMessagesOf, type Store } from './collections.js';
import { deleteRunsOf } from './runs.js';

/** What one sweep removed or completed. */
export interface SweepReport {
  /** Messages whose session no longer exists (deleted part-way, or expired by the TTL monitor). */
  orphanedMessages: number;
  /** Appends left unfinished by a writer that died, now published or aborted. */
  staleBatches: number;
  /** Runs whose session no longer exists (expired by the TTL monitor, or deleted part-way). */
  orphanedRuns: number;
}

const CHUNK = 1000;

/**
 * Housekeeping that a standalone server cannot do by itself. The TTL monitor removes expired
 * session documents but cannot cascade to their messages, and a writer that dies mid-way can
 * leave messages behind: such messages are unreachable (every read goes through the session's
 * key) but take space. This removes them, except those written within store.orphanGraceMs (their
 * session may still be being created), and settles appends staged longer than staleAfterMs ago.
 */
export async function sweep(store: Store): Promise<SweepReport> {
  const report: SweepReport = { orphanedMessages: 0, staleBatches: 0, orphanedRuns: 0 };
  const staleBefore = new Date(store.now() - store.staleAfterMs);
  const batches = store.messages.aggregate<{ _id: string; session: string }>([
    { $match: { batch: { $exists: true }, stagedAt: { $lt: staleBefore } } },
    { $group: { _id: '$batch', session: { $first: '$session' } } },
  ]);
  for await (const batch of batches) {
    await resolveStaleBatch(store, batch.session, batch._id);
    report.staleBatches += 1;
  }

  const cutoff = store.now() - store.orphanGraceMs;
  const settledBefore = ObjectId.createFromTime(Math.floor(cutoff / 1000));
  const keys = store.messages.aggregate<{ _id: string; newest: ObjectId }>([{ $group: { _id: '$session', newest: { $max: '$_id' } } }]);
  let chunk: string[] = [];
  const flush = async () => {
    const live = new Set((await store.sessions.find({ key: { $in: chunk } }, { projection: { key: 1 } }).toArray()).map((s) => s.key));
    const dead = chunk.filter((key) => !live.has(key));
    chunk = [];
    report.orphanedMessages += await deleteMessagesOf(store, dead, { _id: { $lt: settledBefore } });
  };
  for await (const group of keys) {
    if (group.newest.getTimestamp().getTime() >= cutoff) continue;
    chunk.push(group._id);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  report.orphanedRuns = await sweepRuns(store);
  return report;
}

/**
 * Removes the runs and slots of session incarnations that are gone. No grace period is needed:
 * a run or slot only ever gets the key of a session that was live when it was written, and a
 * key that is gone never comes back (see createRun and moveSlot in runs.ts).
 */
async function sweepRuns(store: Store): Promise<number> {
  let removed = 0;
  let chunk: { id: string; key: string }[] = [];
  const flush = async () => {
    const keys = chunk.map((s) => s.key);
    const live = new Set((await store.sessions.find({ key: { $in: keys } }, { projection: { key: 1 } }).toArray()).map((s) => s.key));
    const dead = chunk.filter((s) => !live.has(s.key));
    chunk = [];
    removed += await deleteRunsOf(store, dead);
  };
  const incarnations = async function* () {
    yield* store.runs.aggregate<{ _id: { id: string; key: string } }>([{ $group: { _id: { id: '$sessionId', key: '$sessionKey' } } }]);
    yield* store.runSlots.aggregate<{ _id: { id: string; key: string } }>([{ $group: { _id: { id: '$_id', key: '$sessionKey' } } }]);
  };
  for await (const group of incarnations()) {
    chunk.push(group._id);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  return removed;
}
