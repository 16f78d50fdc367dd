import type { IndexDescription } from 'mongodb';
import type { Store } from './collections.js';

/** Only published messages (seq >= 1) are in the seq indexes; staged ones have no seq yet. */
const PUBLISHED = { seq: { $gt: 0 } };

/**
 * The indexes of `messages`. Like those of `sessions`, they are created at start-up with
 * createIndexes, which does nothing for an index that already exists with the same key and
 * options (and fails loudly if one of the same name exists with other options).
 */
export const MESSAGE_INDEXES: IndexDescription[] = [
  {
    // A history page is one range scan here, already in seq order (no sort, no skip). Unique: the
    // server itself refuses a second message with the same seq in a session, whatever a writer does.
    name: 'history',
    key: { session: 1, seq: 1 },
    unique: true,
    partialFilterExpression: PUBLISHED,
  },
  {
    // Pages filtered by role: one range per role, merged in seq order by the planner.
    name: 'history_by_role',
    key: { session: 1, role: 1, seq: 1 },
    partialFilterExpression: PUBLISHED,
  },
  {
    // The idempotency key. Staged messages are in it too, so inserting a staged message is what
    // claims a clientId (see append.ts). Messages without a clientId have no such field and are
    // not indexed, so they never collide with each other.
    name: 'client_id',
    key: { session: 1, clientId: 1 },
    unique: true,
    partialFilterExpression: { clientId: { $type: 'string' } },
  },
  {
    // Staged messages of a batch, to publish, abort or sweep it. Sparse: published messages drop
    // the field, so the index only ever holds appends in flight.
    name: 'staged',
    key: { batch: 1 },
    sparse: true,
  },
];

/** The indexes of `sessions`. */
export const SESSION_INDEXES: IndexDescription[] = [
  // Listings: a keyset page is one index range in (field, _id) order, forwards or backwards.
  { name: 'owner_updated', key: { ownerId: 1, updatedAt: 1, _id: 1 } },
  { name: 'owner_created', key: { ownerId: 1, createdAt: 1, _id: 1 } },
  { name: 'updated', key: { updatedAt: 1, _id: 1 } },
  { name: 'created', key: { createdAt: 1, _id: 1 } },
  // Retention: the TTL monitor removes a session once expiresAt has passed. A null expiresAt is
  // not a date, so such sessions never expire. Their messages are removed by sweep().
  { name: 'expiry', key: { expiresAt: 1 }, expireAfterSeconds: 0 },
  // From a message's `session` back to its session (the sweep, and writers resolving another's
  // append). Not unique: 128 random bits need no index to stay unique, and a sharded collection
  // only allows unique indexes that start with its shard key.
  { name: 'key', key: { key: 1 } },
];

/** The indexes of `runs`. */
export const RUN_INDEXES: IndexDescription[] = [
  {
    // The idempotency key: a second run with the same clientId in a session is refused by the
    // server, however the calls race. Runs without a clientId (null) are not in it.
    name: 'client_id',
    key: { sessionId: 1, clientId: 1 },
    unique: true,
    partialFilterExpression: { clientId: { $type: 'string' } },
  },
  // A session's runs as a keyset page in (createdAt, _id) order, either way; also the cascade
  // when a session goes.
  { name: 'session_created', key: { sessionId: 1, createdAt: 1, _id: 1 } },
  // An owner's runs by status (per-owner counts of active runs).
  { name: 'owner_status', key: { ownerId: 1, status: 1 } },
  // An owner's runs, and all runs, as keyset pages.
  { name: 'owner_created', key: { ownerId: 1, createdAt: 1, _id: 1 } },
  { name: 'created', key: { createdAt: 1, _id: 1 } },
  // Runs whose lease expired: RUNNING ones, in lease order.
  { name: 'lease', key: { status: 1, leaseExpiresAt: 1 } },
];

/** Creates every index above (a no-op for those that exist). */
export async function ensureIndexes(store: Store): Promise<void> {
  await Promise.all([store.messages.createIndexes(MESSAGE_INDEXES), store.sessions.createIndexes(SESSION_INDEXES), store.runs.createIndexes(RUN_INDEXES)]);
}
