import type { Filter } from 'mongodb';
import { ROLES, type Message } from '../../src/core/model.js';
import type { MessageRange } from '../../src/core/storage.js';
import { completeBatches } from './batches.js';
import type { Store } from './collections.js';
import { fromMessageDoc, type MessageDoc, type SessionDoc } from './documents.js';

/**
 * A page of history: one range scan of the {session, seq} index (or of {session, role, seq},
 * one range per role merged in seq order), sorted by the index and cut by limit, never skip.
 * The page ends at the session's visibleSeq, below which every seq is stored, so a page never
 * shows a message above one that is still being appended, and reading on from its cursor later
 * cannot miss one.
 */
export async function listMessages(store: Store, sessionId: string, range: MessageRange): Promise<Message[]> {
  if (range.limit <= 0) return [];
  const session = await readableSession(store, sessionId);
  if (!session) return [];
  const above = Math.max(0, range.afterSeq ?? 0);
  const upTo = Math.min(session.visibleSeq, (range.beforeSeq ?? Infinity) - 1);
  if (upTo <= above) return [];
  const filter: Filter<MessageDoc> = { session: session.key, seq: { $gt: above, $lte: upTo } };
  const roles = range.roles && range.roles.length > 0 && range.roles.length < ROLES.length ? [...new Set(range.roles)] : null;
  if (roles) filter.role = roles.length === 1 ? (roles[0] as MessageDoc['role']) : { $in: roles };
  const docs = await store.messages
    .find(filter)
    .sort({ seq: range.direction === 'ASC' ? 1 : -1 })
    .limit(range.limit)
    .toArray();
  return docs.map((doc) => fromMessageDoc(doc, sessionId));
}

/** The session's key and visibleSeq, after completing appends whose writer has been gone for a while. */
async function readableSession(store: Store, sessionId: string): Promise<Pick<SessionDoc, '_id' | 'key' | 'visibleSeq' | 'pending'> | null> {
  const session = await store.sessions.findOne({ _id: sessionId }, { projection: { key: 1, visibleSeq: 1, pending: 1 } });
  if (!session) return null;
  const staleBefore = store.now() - store.staleAfterMs;
  const stale = session.pending.filter((b) => b.at.getTime() < staleBefore);
  const last = stale[stale.length - 1];
  if (!last) return session;
  return (await completeBatches(store, session as SessionDoc, last.to)) ?? session;
}
