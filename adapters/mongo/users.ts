import type { Session, User } from '../../src/core/model.js';
import { deleteMessagesOf, findByIds, type Store } from './collections.js';
import { fromSessionDoc, fromUserDoc, toUserDoc } from './documents.js';
import { isDuplicateKey } from './errors.js';
import { deleteRunsOf } from './runs.js';

const DELETE_CHUNK = 500;

/** One atomic upsert: the user's fields are replaced, createdAt only set when it is inserted. */
export async function upsertUser(store: Store, user: User): Promise<{ user: User; created: boolean }> {
  const { createdAt, _id, ...fields } = toUserDoc(user);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await store.users.findOneAndUpdate(
        { _id },
        { $set: fields, $setOnInsert: { createdAt } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      if (!result.value) throw new Error(`Upserting user ${user.id} returned no document`);
      return { user: fromUserDoc(result.value), created: result.lastErrorObject?.updatedExisting !== true };
    } catch (error) {
      // Two upserts of a new id may both try the insert; the loser retries as an update.
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}

/** The user, or null. */
export async function getUser(store: Store, id: string): Promise<User | null> {
  const doc = await store.users.findOne({ _id: id });
  return doc && fromUserDoc(doc);
}

/** One `$in` query; the results are put back in the order of `ids`. */
export function getUsers(store: Store, ids: readonly string[]): Promise<(User | null)[]> {
  return findByIds(store.users, ids, fromUserDoc);
}

/** Users by id (the _id index), from after `afterId`. */
export async function listUsers(store: Store, { afterId, limit }: { afterId?: string | undefined; limit: number }): Promise<User[]> {
  if (limit <= 0) return [];
  const docs = await store.users
    .find(afterId === undefined ? {} : { _id: { $gt: afterId } })
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
  return docs.map(fromUserDoc);
}

/** Counted by the server. */
export async function countUsers(store: Store): Promise<number> {
  return store.users.countDocuments();
}

/**
 * Sessions first (a chunk at a time: session documents, then their messages, runs and slots), the user last, so
 * that a call that fails part-way leaves the user in place and a second call removes the rest.
 */
export async function deleteUser(store: Store, id: string): Promise<{ sessions: Session[] } | null> {
  if (!(await store.users.findOne({ _id: id }, { projection: { _id: 1 } }))) return null;
  const removed: Session[] = [];
  for (;;) {
    const docs = await store.sessions.find({ ownerId: id }).limit(DELETE_CHUNK).toArray();
    if (docs.length === 0) break;
    const keys = docs.map((doc) => doc.key);
    // Matching the keys too leaves alone a session deleted and created again meanwhile.
    await store.sessions.deleteMany({ _id: { $in: docs.map((doc) => doc._id) }, key: { $in: keys } });
    await Promise.all([deleteMessagesOf(store, keys), deleteRunsOf(store, docs.map((doc) => ({ id: doc._id, key: doc.key })))]);
    removed.push(...docs.map(fromSessionDoc));
  }
  await store.users.deleteOne({ _id: id });
  return { sessions: removed };
}
