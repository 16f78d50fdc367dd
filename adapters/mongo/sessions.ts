import { randomBytes } from 'node:crypto';
import { idTaken, NotFoundError, versionConflict } from '../../src/core/errors.js';
import { emptyRoleCounts, ROLES, type Message, type Session, type SessionFilter } from '../../src/core/model.js';
import type { SessionChanges, SessionQuery, SessionTotals, UpdateOptions } from '../../src/core/storage.js';
import { deleteMessagesOf, findByIds, type Store } from './collections.js';
import { fromSessionDoc, toMessageDoc, toSessionDoc, type SessionDoc } from './documents.js';
import { isDuplicateKey, withCleanup } from './errors.js';
import { toStoredJson } from './json-keys.js';
import { deleteRunsOf } from './runs.js';
import { keysetQuery, orderSort, sessionFilterQuery } from './session-query.js';

/**
 * Stores a session with its messages, visible all at once. The messages go in first, under a new
 * random session key that nothing refers to yet, so they are unreadable and cannot collide with
 * anything; then the session document, whose insert (atomic, and refused by the unique _id index
 * when the id is taken) makes both visible together. On failure the messages are removed again;
 * were that to fail too, they stay unreachable and sweep() removes them.
 */
export async function createSession(store: Store, session: Session, messages: readonly Message[]): Promise<Session> {
  if (messages.length > 0 && (await store.sessions.countDocuments({ _id: session.id }, { limit: 1 })) > 0) {
    throw idTaken('Session', session.id); // fail before writing a possibly large history for nothing
  }
  const key = randomBytes(16).toString('base64url');
  const doc = toSessionDoc(session, key);
  const removeMessages = () => deleteMessagesOf(store, [key]);
  const started = store.now();
  await withCleanup(async () => {
    if (messages.length > 0) await store.messages.insertMany(messages.map((m) => toMessageDoc(m, key, m.seq)), { ordered: true });
    // The sweep removes messages whose session has not appeared for a long while: never create a
    // session whose messages it might already have taken for such leftovers.
    if (store.now() - started > store.orphanGraceMs / 2) throw new Error(`Storing session ${session.id} took too long; try again`);
    try {
      await store.sessions.insertOne(doc);
    } catch (error) {
      throw isDuplicateKey(error) ? idTaken('Session', session.id) : error;
    }
  }, removeMessages);
  return fromSessionDoc(doc);
}

/** The session, or null. */
export async function getSession(store: Store, id: string): Promise<Session | null> {
  const doc = await store.sessions.findOne({ _id: id });
  return doc && fromSessionDoc(doc);
}

/** One `$in` query; the results are put back in the order of `ids`. */
export function getSessions(store: Store, ids: readonly string[]): Promise<(Session | null)[]> {
  return findByIds(store.sessions, ids, fromSessionDoc);
}

/** A keyset page: an index range from the cursor on, in index order, cut by limit. */
export async function listSessions(store: Store, { filter, order, after, limit }: SessionQuery): Promise<Session[]> {
  if (limit <= 0) return [];
  const query = sessionFilterQuery(filter);
  const docs = await store.sessions
    .find(after ? { $and: [query, keysetQuery(order, after)] } : query)
    .sort(orderSort(order))
    .limit(limit)
    .toArray();
  return docs.map(fromSessionDoc);
}

/** Counted by the server, with the listing's filter. */
export async function countSessions(store: Store, filter: SessionFilter): Promise<number> {
  return store.sessions.countDocuments(sessionFilterQuery(filter));
}

/** Counted by the server, each owner's sessions in one aggregation (the owner index's prefix). */
export async function countSessionsByOwner(store: Store, ownerIds: readonly string[]): Promise<number[]> {
  const unique = [...new Set(ownerIds)];
  if (unique.length === 0) return [];
  const groups = await store.sessions
    .aggregate<{ _id: string; count: number }>([{ $match: { ownerId: { $in: unique } } }, { $group: { _id: '$ownerId', count: { $sum: 1 } } }])
    .toArray();
  const counts = new Map(groups.map((g) => [g._id, g.count]));
  return ownerIds.map((id) => counts.get(id) ?? 0);
}

/** One conditional update: the version check and the change are applied together or not at all. */
export async function updateSession(store: Store, id: string, changes: SessionChanges, options: UpdateOptions): Promise<Session> {
  const set: Partial<SessionDoc> = { updatedAt: options.at, expiresAt: options.expiresAt };
  if (changes.title !== undefined) set.title = changes.title;
  if (changes.model !== undefined) set.model = changes.model;
  if (changes.systemPrompt !== undefined) set.systemPrompt = changes.systemPrompt;
  if (changes.context !== undefined) set.context = toStoredJson(changes.context);
  if (changes.metadata !== undefined) set.metadata = toStoredJson(changes.metadata);
  if (changes.personaId !== undefined) set.personaId = changes.personaId;
  if (changes.summary !== undefined) set.summary = changes.summary;
  if (changes.summarizedUpToSeq !== undefined) set.summarizedUpToSeq = changes.summarizedUpToSeq;
  const { expectedVersion } = options;
  for (;;) {
    const filter = expectedVersion == null ? { _id: id } : { _id: id, version: expectedVersion };
    const doc = await store.sessions.findOneAndUpdate(filter, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' });
    if (doc) return fromSessionDoc(doc);
    const current = await store.sessions.findOne({ _id: id }, { projection: { version: 1 } });
    if (!current) throw new NotFoundError('Session', id);
    if (expectedVersion != null && current.version !== expectedVersion) throw versionConflict(expectedVersion, current.version);
  }
}

/** The session document goes first (the session disappears at once), then its messages, runs and slot. */
export async function deleteSession(store: Store, id: string): Promise<Session | null> {
  const doc = await store.sessions.findOneAndDelete({ _id: id });
  if (!doc) return null;
  await Promise.all([deleteMessagesOf(store, [doc.key]), deleteRunsOf(store, [{ id, key: doc.key }])]);
  return fromSessionDoc(doc);
}

/** Totals summed by the server from the counters on the session documents. */
export async function getTotals(store: Store, filter: SessionFilter): Promise<SessionTotals> {
  const byRole = Object.fromEntries(ROLES.map((role) => [role, { $sum: `$messagesByRole.${role}` }]));
  const [row] = await store.sessions
    .aggregate<Record<string, number>>([
      { $match: sessionFilterQuery(filter) },
      {
        $group: {
          _id: null,
          sessionCount: { $sum: 1 },
          messageCount: { $sum: '$messageCount' },
          exchangeCount: { $sum: '$exchangeCount' },
          ...byRole,
        },
      },
    ])
    .toArray();
  const messagesByRole = emptyRoleCounts();
  for (const role of ROLES) messagesByRole[role] = row?.[role] ?? 0;
  return { sessionCount: row?.sessionCount ?? 0, messageCount: row?.messageCount ?? 0, exchangeCount: row?.exchangeCount ?? 0, messagesByRole };
}
