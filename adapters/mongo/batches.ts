import { randomBytes } from 'node:crypto';
import type { Document } from 'mongodb';
import { ROLES } from '../../src/core/model.js';
import type { BatchSummary } from '../../src/core/stats.js';
import type { MessageDraft } from '../../src/core/storage.js';
import type { Store } from './collections.js';
import { toMessageDoc, type PendingBatch, type SessionDoc } from './documents.js';

/*
 * The steps of an append (append.ts tells the whole story). Each step on the session is one
 * single-document update, which MongoDB applies atomically, even on a standalone server: the
 * filter is checked and the update applied with no other write to that document in between.
 * Update pipelines (MongoDB 4.2+) let the new values be computed from the stored ones.
 */

/**
 * How many aborted batch tokens a session remembers (see resolveStaleBatch). A writer presumed
 * dead could only commit an aborted batch after this many later aborts on the same session, all
 * while it stalled between its stage and its commit.
 */
const ABORTED_KEPT = 50;

const lit = (value: unknown) => ({ $literal: value });

/** A batch token: 96 random bits, so that no two appends ever share one. */
export function newToken(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Inserts the drafts as staged messages of batch `token`: no seq yet (so no reader sees them),
 * their position in the batch, and their clientId, which the unique index now holds for them.
 * Throws a duplicate-key error when another message of the session holds one of the clientIds.
 */
export async function stageBatch(store: Store, key: string, token: string, drafts: readonly MessageDraft[]): Promise<void> {
  const stagedAt = new Date(store.now());
  const docs = drafts.map((draft, idx) => ({ ...toMessageDoc(draft, key, undefined), batch: token, idx, stagedAt }));
  await store.messages.insertMany(docs, { ordered: true });
}

/** What a commit needs to know about the staged batch and the call. */
export interface CommitRequest {
  token: string;
  count: number;
  summary: BatchSummary;
  expectedSeq: number | null;
  maxMessages: number;
  updatedAt: Date;
  expiresAt: Date | null;
}

/**
 * Reserves seqs lastSeq+1..lastSeq+count for a staged batch and updates the counters of
 * src/core/stats.ts (applyBatch) in one atomic update, or matches nothing when the session is
 * gone, expectedSeq is stale, the session would be too full, or the batch was aborted. Returns
 * the session after the update, or null.
 */
export async function commitBatch(store: Store, sessionId: string, key: string, request: CommitRequest): Promise<SessionDoc | null> {
  const { token, count, summary, expectedSeq, maxMessages } = request;
  const filter: Document = {
    _id: sessionId,
    key,
    messageCount: { $lte: maxMessages - count },
    'pending.t': { $ne: token },
    aborted: { $ne: token },
  };
  if (expectedSeq !== null) filter.lastSeq = expectedSeq;
  // An assistant message right after a stored user message closes an exchange across batches.
  const bridging = summary.firstRole === 'ASSISTANT' ? { $cond: [{ $eq: ['$lastRole', 'USER'] }, 1, 0] } : 0;
  const update = [
    {
      $set: {
        lastSeq: { $add: ['$lastSeq', count] },
        messageCount: { $add: ['$messageCount', count] },
        messagesByRole: Object.fromEntries(ROLES.map((role) => [role, { $add: [`$messagesByRole.${role}`, summary.byRole[role]] }])),
        exchangeCount: { $add: ['$exchangeCount', summary.exchanges, bridging] },
        lastRole: lit(summary.lastRole),
        // The earliest and the latest message times ($min and $max skip a null, as applyBatch does).
        firstMessageAt: { $min: ['$firstMessageAt', lit(summary.earliestAt)] },
        lastMessageAt: { $max: ['$lastMessageAt', lit(summary.latestAt)] },
        preview: { $ifNull: ['$preview', lit(summary.preview)] },
        updatedAt: lit(request.updatedAt),
        expiresAt: lit(request.expiresAt),
        // Every stage expression reads the document as it was, so `from` is the old lastSeq + 1.
        pending: {
          $concatArrays: [
            '$pending',
            [{ t: lit(token), from: { $add: ['$lastSeq', 1] }, to: { $add: ['$lastSeq', count] }, at: lit(new Date(store.now())) }],
          ],
        },
      },
    },
  ];
  return store.sessions.findOneAndUpdate(filter, update, { returnDocument: 'after' });
}

/**
 * Gives the staged messages of committed batches their seqs: from + position in the batch.
 * Idempotent (published messages no longer carry the token), so any writer may do it for any
 * committed batch, whose messages were all staged before it was committed.
 */
export async function publishBatches(store: Store, key: string, batches: readonly PendingBatch[]): Promise<void> {
  if (batches.length === 0) return;
  const tokens = batches.map((b) => b.t);
  const froms = batches.map((b) => b.from);
  await store.messages.updateMany({ session: key, batch: { $in: tokens } }, [
    { $set: { seq: { $add: [{ $arrayElemAt: [lit(froms), { $indexOfArray: [lit(tokens), '$batch'] }] }, '$idx'] } } },
    { $unset: ['batch', 'idx', 'stagedAt'] },
  ]);
}

/**
 * Marks published batches done and moves visibleSeq over the done batches that directly follow
 * it, dropping them from `pending`: readers never see a seq above a gap. One atomic update.
 */
export async function settleBatches(store: Store, sessionId: string, key: string, tokens: readonly string[]): Promise<SessionDoc | null> {
  const walk = {
    $reduce: {
      input: '$pending',
      initialValue: { seq: '$visibleSeq', open: true, rest: [] },
      in: {
        $cond: [
          { $and: ['$$value.open', { $eq: ['$$this.done', true] }, { $eq: ['$$this.from', { $add: ['$$value.seq', 1] }] }] },
          { seq: '$$this.to', open: true, rest: '$$value.rest' },
          { seq: '$$value.seq', open: false, rest: { $concatArrays: ['$$value.rest', ['$$this']] } },
        ],
      },
    },
  };
  return store.sessions.findOneAndUpdate(
    { _id: sessionId, key },
    [
      {
        $set: {
          pending: {
            $map: {
              input: '$pending',
              in: { $cond: [{ $in: ['$$this.t', lit(tokens)] }, { $mergeObjects: ['$$this', { done: true }] }, '$$this'] },
            },
          },
        },
      },
      { $set: { _settle: walk } },
      { $set: { visibleSeq: '$_settle.seq', pending: '$_settle.rest' } },
      { $unset: '_settle' },
    ],
    { returnDocument: 'after' },
  );
}

/** Publishes and settles every pending batch of the session up to seq `upTo`. */
export async function completeBatches(store: Store, session: SessionDoc, upTo = Infinity): Promise<SessionDoc | null> {
  const batches = session.pending.filter((b) => b.from <= upTo);
  if (batches.length === 0) return session;
  await publishBatches(store, session.key, batches);
  return settleBatches(store, session._id, session.key, batches.map((b) => b.t));
}

/**
 * Settles the fate of a staged batch whose writer seems dead: publishes it if it was committed,
 * otherwise aborts it and removes its staged messages. Recording the token in `aborted` and
 * committing it (commitBatch refuses aborted tokens) are updates of the same document, so exactly
 * one of them wins, and a writer that was only slow finds its commit refused and starts over.
 */
export async function resolveStaleBatch(store: Store, key: string, token: string): Promise<void> {
  const session = await store.sessions.findOne({ key });
  const committed = session?.pending.find((b) => b.t === token);
  if (session && committed) {
    await completeBatches(store, session, committed.to);
    return;
  }
  if (session && !session.aborted.includes(token)) {
    // Filtered by _id too, so that the update is routed to one shard of a sharded cluster.
    const result = await store.sessions.updateOne(
      { _id: session._id, key, 'pending.t': { $ne: token }, aborted: { $ne: token } },
      { $push: { aborted: { $each: [token], $slice: -ABORTED_KEPT } } },
    );
    if (result.matchedCount === 0) return resolveStaleBatch(store, key, token); // committed meanwhile
  }
  // Aborted (now or earlier), already published, or its session is gone: nothing staged is needed.
  await store.messages.deleteMany({ session: key, batch: token });
}
