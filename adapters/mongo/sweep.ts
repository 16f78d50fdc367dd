import { ObjectId } from 'mongodb';
import { resolveStaleBatch } from './batches.js';
import { deleteMessagesOf, type Store } from './collections.js';

/** What one sweep removed or completed. */
export interface SweepReport {
  /** Messages whose session no longer exists (deleted part-way, or expired by the TTL monitor). */
  orphanedMessages: number;
  /** Appends left unfinished by a writer that died, now published or aborted. */
  staleBatches: number;
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
  const report: SweepReport = { orphanedMessages: 0, staleBatches: 0 };
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
  return report;
}
