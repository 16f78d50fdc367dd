import type { Collection, Db, Filter } from 'mongodb';
import type { MessageDoc, RunDoc, RunSlotDoc, SessionDoc, UserDoc } from './documents.js';

/** The adapter's collections and settings, shared by its parts. */
export interface Store {
  sessions: Collection<SessionDoc>;
  messages: Collection<MessageDoc>;
  users: Collection<UserDoc>;
  runs: Collection<RunDoc>;
  /** One document per session whose slot is held (see runs.ts). */
  runSlots: Collection<RunSlotDoc>;
  /** The adapter's clock, in milliseconds. */
  now(): number;
  /** After this long, an unfinished append of another writer is presumed dead (see append.ts). */
  staleAfterMs: number;
  /**
   * Messages without a session are left alone this long by the sweep: a session being created
   * writes its messages before its document, and gives up if that takes half of this.
   */
  orphanGraceMs: number;
}

/** The collections of `db`, with the adapter's settings. */
export function openStore(db: Db, settings: Pick<Store, 'now' | 'staleAfterMs'>): Store {
  return {
    sessions: db.collection<SessionDoc>('sessions'),
    messages: db.collection<MessageDoc>('messages'),
    users: db.collection<UserDoc>('users'),
    runs: db.collection<RunDoc>('runs'),
    runSlots: db.collection<RunSlotDoc>('runSlots'),
    orphanGraceMs: Math.max(settings.staleAfterMs * 10, 10 * 60_000),
    ...settings,
  };
}

/**
 * Deletes every message, published or staged, of the sessions with these keys (and matching
 * `extra`). Two deletes, because each index on `session` holds only one kind of message: published
 * ones are found through {session, seq}, staged ones through the small {batch} index. Staged ones
 * first, then published ones, one after the other: a message only ever goes from staged to
 * published, so one being published meanwhile is caught by the second delete. Run side by side,
 * the two could both miss it (published after the first looked, staged when the second did).
 */
export async function deleteMessagesOf(store: Store, keys: readonly string[], extra: Filter<MessageDoc> = {}): Promise<number> {
  if (keys.length === 0) return 0;
  const session = keys.length === 1 ? (keys[0] as string) : { $in: [...keys] };
  const staged = await store.messages.deleteMany({ ...extra, session, batch: { $exists: true } });
  const published = await store.messages.deleteMany({ ...extra, session, seq: { $gt: 0 } });
  return published.deletedCount + staged.deletedCount;
}

/** One `$in` query on unique ids; the results are put back in the order of `ids`, null where none. */
export async function findByIds<D extends { _id: string }, T>(collection: Collection<D>, ids: readonly string[], convert: (doc: D) => T): Promise<(T | null)[]> {
  if (ids.length === 0) return [];
  const docs = (await collection.find({ _id: { $in: [...new Set(ids)] } } as Filter<D>).toArray()) as D[];
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  return ids.map((id) => {
    const doc = byId.get(id);
    return doc ? convert(doc) : null;
  });
}
