import type { Collection, Db } from 'mongodb';
import type { MessageDoc, SessionDoc, UserDoc } from './documents.js';

/** The adapter's collections and settings, shared by its parts. */
export interface Store {
  sessions: Collection<SessionDoc>;
  messages: Collection<MessageDoc>;
  users: Collection<UserDoc>;
  /** The adapter's clock, in milliseconds. */
  now(): number;
  /** After this long, an unfinished append of another writer is presumed dead (see append.ts). */
  staleAfterMs: number;
}

export function openStore(db: Db, settings: Pick<Store, 'now' | 'staleAfterMs'>): Store {
  return {
    sessions: db.collection<SessionDoc>('sessions'),
    messages: db.collection<MessageDoc>('messages'),
    users: db.collection<UserDoc>('users'),
    ...settings,
  };
}
