import { setTimeout as sleep } from 'node:timers/promises';
import { completeBatches, resolveStaleBatch } from './batches.js';
import type { Store } from './collections.js';
import type { MessageDoc } from './documents.js';

/*
 * ClientIds are claimed by staging a message that carries one (see append.ts): the unique
 * {session, clientId} index then holds it, for a staged message as for a published one.
 */

/** Messages of the session (published or staged) holding these clientIds, by clientId. */
export async function storedByClientId(store: Store, key: string, clientIds: string[]): Promise<Map<string, MessageDoc>> {
  if (clientIds.length === 0) return new Map();
  // `$type: 'string'` repeats the partial index's filter so that the planner may use the index.
  const docs = await store.messages.find({ session: key, clientId: { $in: clientIds, $type: 'string' } }).toArray();
  return new Map(docs.map((doc) => [doc.clientId as string, doc]));
}

/**
 * Waits until another call's staged message is published or discarded, helping it along: a
 * committed batch is completed at once; an uncommitted one is resolved (see resolveStaleBatch)
 * once it was staged staleAfterMs ago by its writer's clock, or after waiting that long here.
 */
export async function awaitStaged(store: Store, key: string, staged: MessageDoc): Promise<void> {
  const token = staged.batch as string;
  const stagedAt = staged.stagedAt?.getTime() ?? 0;
  for (let pause = 2, waited = 0; ; waited += pause, pause = Math.min(pause * 2, 100)) {
    const doc = await store.messages.findOne({ _id: staged._id, session: key }, { projection: { batch: 1 } });
    if (!doc || doc.batch === undefined) return;
    const session = await store.sessions.findOne({ key }, { projection: { key: 1, pending: 1, aborted: 1 } });
    const batch = session?.pending.find((b) => b.t === token);
    if (session && batch) {
      await completeBatches(store, session, batch.to);
      return;
    }
    const stale = store.now() - stagedAt >= store.staleAfterMs || waited >= store.staleAfterMs;
    if (!session || session.aborted.includes(token) || stale) {
      await resolveStaleBatch(store, key, token);
      return;
    }
    await sleep(pause);
  }
}
