import { NotFoundError, seqConflict, sessionFull } from '../../src/core/errors.js';
import { cloneJson } from '../../src/core/json.js';
import type { Message } from '../../src/core/model.js';
import { summarizeBatch, type BatchSummary } from '../../src/core/stats.js';
import type { AppendOptions, AppendResult, MessageDraft } from '../../src/core/storage.js';
import { commitBatch, completeBatches, newToken, resolveStaleBatch, stageBatch } from './batches.js';
import { awaitStaged, storedByClientId } from './claims.js';
import type { Store } from './collections.js';
import { fromMessageDoc, fromSessionDoc, type MessageDoc, type PendingBatch, type SessionDoc } from './documents.js';
import { isDuplicateKey, withCleanup } from './errors.js';

/*
 * Appending without transactions (a standalone server has none). An append goes through four
 * steps, each a single write that MongoDB applies atomically on its own:
 *
 * 1. Stage: insert the new messages without a seq, tagged with a fresh batch token. Staged
 *    messages are invisible (history reads ask for seq ranges). A staged message with a clientId
 *    already sits in the unique {session, clientId} index: inserting it is what claims the clientId,
 *    so of two retries racing with the same clientId exactly one stages it (the server enforces
 *    the unique index); the other gets a duplicate-key error, discards what it staged, waits for
 *    the winner's message and returns it. No seq was reserved yet, so the race leaves no gap.
 * 2. Commit: one findOneAndUpdate on the session that checks, in its filter, that the session
 *    exists, that expectedSeq still equals lastSeq and that the messages fit under maxMessages,
 *    and in the same update reserves lastSeq+1..lastSeq+n, updates the counters (computed from
 *    the stored ones by an update pipeline) and records the batch in `pending`. Concurrent
 *    commits are serialised on the document, so ranges never overlap. This is the point where the
 *    append happens: before it nothing is visible, after it the append will complete.
 * 3. Publish: one updateMany sets seq = from + position on the staged messages of the batch.
 * 4. Settle: one update marks the batch done and advances the session's visibleSeq over every
 *    done batch that follows it without a gap. Readers only read seqs <= visibleSeq, so an append
 *    becomes readable all at once and in seq order, never above a batch still in flight.
 *
 * Steps 3 and 4 are idempotent and need nothing but what the database holds, so any writer can
 * perform them for any committed batch: each append completes every batch committed before its
 * own (its result is then readable when it returns), and a reader completes batches that stayed
 * pending for staleAfterMs (their writer died). A batch staged by a writer that died before
 * committing is aborted by whoever waits for one of its clientIds (or by the sweep) after
 * staleAfterMs: the abort and the commit are both conditional updates of the session document,
 * so exactly one of them wins, and a writer that was merely slow finds its commit refused and
 * starts over. A crash therefore never leaves a gap, a duplicate or a half-visible append.
 */

const MAX_ATTEMPTS = 50;

interface Plan {
  /** Drafts to store: each clientId's first draft and every draft without one, in draft order. */
  candidates: number[];
  /** For each clientId in the call, its first draft. */
  firstByClientId: Map<string, number>;
}

/** Storage.appendMessages by the protocol above; starts over when it loses a race to another call. */
export async function appendMessages(
  store: Store,
  sessionId: string,
  drafts: readonly MessageDraft[],
  options: AppendOptions,
): Promise<AppendResult> {
  const plan = planDrafts(drafts);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const result = await attemptAppend(store, sessionId, drafts, plan, options);
    if (result) return result;
  }
  throw new Error(`Appending to session ${sessionId} kept colliding with other writers; gave up after ${MAX_ATTEMPTS} attempts`);
}

/** One pass of the protocol; null when it lost a race and must start over. */
async function attemptAppend(
  store: Store,
  sessionId: string,
  drafts: readonly MessageDraft[],
  plan: Plan,
  options: AppendOptions,
): Promise<AppendResult | null> {
  const session = await store.sessions.findOne({ _id: sessionId });
  if (!session) throw new NotFoundError('Session', sessionId);
  const stored = await storedByClientId(store, session.key, [...plan.firstByClientId.keys()]);
  const staged = [...stored.values()].filter((doc) => doc.seq === undefined);
  if (staged.length > 0) {
    for (const doc of staged) await awaitStaged(store, session.key, doc);
    return null;
  }
  const fresh = plan.candidates.filter((i) => {
    const clientId = (drafts[i] as MessageDraft).clientId;
    return clientId === null || !stored.has(clientId);
  });
  if (fresh.length === 0) return retryResult(store, session, drafts, stored);

  const { expectedSeq = null, maxMessages } = options;
  if (expectedSeq !== null && expectedSeq !== session.lastSeq) throw seqConflict(expectedSeq, session.lastSeq);
  if (session.messageCount + fresh.length > maxMessages) throw sessionFull(maxMessages, session.messageCount + fresh.length);

  const token = newToken();
  const discard = () => store.messages.deleteMany({ session: session.key, batch: token });
  try {
    await stageBatch(store, session.key, token, fresh.map((i) => drafts[i] as MessageDraft));
  } catch (error) {
    await discard();
    if (isDuplicateKey(error)) return null; // another call claimed one of the clientIds meanwhile
    throw error;
  }
  const request = {
    token,
    count: fresh.length,
    summary: summaryOf(drafts, fresh),
    expectedSeq,
    maxMessages,
    updatedAt: options.at,
    expiresAt: options.expiresAt,
  };
  // If the commit fails without an answer, it may still have happened: settle the batch's fate
  // (completed if committed, aborted and removed if not) rather than delete what may be committed.
  const committed = await withCleanup(
    () => commitBatch(store, sessionId, session.key, request),
    () => resolveStaleBatch(store, session.key, token),
  );
  if (!committed) {
    await discard();
    await explainRefusal(store, sessionId, session.key, request);
    return null;
  }
  // From here on the append has happened: a failure below leaves it for others to complete.
  const from = (committed.pending.find((b) => b.t === token) as PendingBatch).from;
  await completeBatches(store, committed);
  const messages: (Message | undefined)[] = new Array(drafts.length);
  const added = fresh.map((i, k) => (messages[i] = newMessage(drafts[i] as MessageDraft, sessionId, from + k)));
  fillFromStore(messages, drafts, stored, plan, sessionId);
  return { session: fromSessionDoc(committed), messages: messages as Message[], added };
}

function planDrafts(drafts: readonly MessageDraft[]): Plan {
  const candidates: number[] = [];
  const firstByClientId = new Map<string, number>();
  drafts.forEach((draft, i) => {
    if (draft.clientId !== null) {
      if (firstByClientId.has(draft.clientId)) return;
      firstByClientId.set(draft.clientId, i);
    }
    candidates.push(i);
  });
  return { candidates, firstByClientId };
}

/** Every draft was stored before: return the stored messages, readable, and write nothing new. */
async function retryResult(
  store: Store,
  session: SessionDoc,
  drafts: readonly MessageDraft[],
  stored: Map<string, MessageDoc>,
): Promise<AppendResult> {
  const messages = drafts.map((d) => fromMessageDoc(stored.get(d.clientId as string) as MessageDoc, session._id));
  const highest = Math.max(...messages.map((m) => m.seq));
  let current = session;
  if (highest > current.visibleSeq) {
    // Published but not settled yet: settle it so that the caller can read what it gets back.
    const latest = await store.sessions.findOne({ _id: session._id, key: session.key });
    current = (latest && (await completeBatches(store, latest, highest))) ?? current;
  }
  return { session: fromSessionDoc(current), messages, added: [] };
}

/** Why a commit matched nothing: throws the contract's error, or returns to start over. */
async function explainRefusal(
  store: Store,
  sessionId: string,
  key: string,
  request: { count: number; expectedSeq: number | null; maxMessages: number },
): Promise<void> {
  const now = await store.sessions.findOne({ _id: sessionId }, { projection: { key: 1, lastSeq: 1, messageCount: 1 } });
  if (!now) throw new NotFoundError('Session', sessionId);
  if (now.key !== key) return; // deleted and created again: start over on the new session
  if (request.expectedSeq !== null && now.lastSeq !== request.expectedSeq) throw seqConflict(request.expectedSeq, now.lastSeq);
  const count = now.messageCount + request.count;
  if (count > request.maxMessages) throw sessionFull(request.maxMessages, count);
  // Otherwise our batch was aborted by a writer that presumed us dead: start over.
}

function summaryOf(drafts: readonly MessageDraft[], fresh: number[]): BatchSummary {
  return summarizeBatch(fresh.map((i, k) => ({ ...(drafts[i] as MessageDraft), seq: k + 1 }))) as BatchSummary;
}

function newMessage(draft: MessageDraft, sessionId: string, seq: number): Message {
  return { ...draft, sessionId, seq, metadata: cloneJson(draft.metadata), createdAt: new Date(draft.createdAt.getTime()) };
}

/** Fills the drafts that were not stored by this call: stored earlier, or repeating a clientId of the call. */
function fillFromStore(messages: (Message | undefined)[], drafts: readonly MessageDraft[], stored: Map<string, MessageDoc>, plan: Plan, sessionId: string): void {
  drafts.forEach((draft, i) => {
    if (messages[i] || draft.clientId === null) return;
    const doc = stored.get(draft.clientId);
    messages[i] = doc ? fromMessageDoc(doc, sessionId) : messages[plan.firstByClientId.get(draft.clientId) as number];
  });
}
