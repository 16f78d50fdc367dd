import type { Filter, Sort } from 'mongodb';
import { idTaken, NotFoundError } from '../../src/core/errors.js';
import type { Run, RunChanges, RunFilter, RunQuery, RunStorage } from '../../src/core/run.js';
import type { Store } from './collections.js';
import { fromRunDoc, toRunDoc, type RunDoc } from './documents.js';
import { isDuplicateKey } from './errors.js';

/*
 * Runs on MongoDB, without transactions. Every guarantee rests on one atomic single-document
 * operation: the unique {sessionId, clientId} index for idempotency, the unique _id of `runSlots`
 * for the slot, a conditional findOneAndUpdate for updates. Runs and slots carry the `key` of
 * the session incarnation they belong to (see documents.ts), so that leftovers of a session the
 * TTL monitor removed are recognised (and swept) and never count as the new session's.
 *
 * Known lag: between a session's TTL removal and the next sweep(), its runs stay readable by id
 * (getRun) and in listings that are not by session (ownerId, statuses, listExpiredRuns).
 */

/** The fields an update may set: anything else in `changes` is ignored. */
const CHANGEABLE: readonly (keyof RunChanges)[] = [
  'status',
  'outputSeq',
  'model',
  'finishReason',
  'usage',
  'error',
  'cancelRequested',
  'eventCount',
  'startedAt',
  'endedAt',
  'leaseOwner',
  'leaseExpiresAt',
];

const MAX_ATTEMPTS = 5;

/** The key of the live session `id`, or null. */
async function sessionKey(store: Store, id: string): Promise<string | null> {
  const doc = await store.sessions.findOne({ _id: id }, { projection: { key: 1 } });
  return doc?.key ?? null;
}

async function isLive(store: Store, id: string, key: string): Promise<boolean> {
  return (await store.sessions.countDocuments({ _id: id, key }, { limit: 1 })) > 0;
}

/** The query of a RunFilter; a sessionId also narrows to that session's current incarnation. */
function filterQuery(filter: RunFilter, key: string | null): Filter<RunDoc> {
  const query: Record<string, unknown> = {};
  if (filter.sessionId !== undefined) {
    query.sessionId = { $eq: filter.sessionId };
    query.sessionKey = { $eq: key };
  }
  if (filter.ownerId !== undefined) query.ownerId = { $eq: filter.ownerId };
  if (filter.statuses && filter.statuses.length > 0) query.status = { $in: [...filter.statuses] };
  return query as Filter<RunDoc>;
}

/** The same `$or` bound as the session listings (session-query.ts), on (createdAt, _id). */
function afterQuery(direction: RunQuery['direction'], after: { at: Date; id: string }): Filter<RunDoc> {
  const [strict, loose] = direction === 'ASC' ? (['$gt', '$gte'] as const) : (['$lt', '$lte'] as const);
  return {
    createdAt: { [loose]: after.at },
    $or: [{ createdAt: { [strict]: after.at } }, { _id: { [strict]: after.id } }],
  } as Filter<RunDoc>;
}

/** Removes the runs and slots of these session incarnations (ids with their keys). */
export async function deleteRunsOf(store: Store, sessions: readonly { id: string; key: string }[]): Promise<number> {
  if (sessions.length === 0) return 0;
  // Keys are unique per incarnation, so the two `$in`s never pair an id with another's key.
  const ids = { $in: sessions.map((s) => s.id) };
  const keys = { $in: sessions.map((s) => s.key) };
  const [runs] = await Promise.all([store.runs.deleteMany({ sessionId: ids, sessionKey: keys }), store.runSlots.deleteMany({ _id: ids, sessionKey: keys })]);
  return runs.deletedCount;
}

export function runStorage(store: Store): RunStorage {
  /** The run of the session holding `clientId`, or null. */
  const byClientId = (sessionId: string, clientId: string) => store.runs.findOne({ sessionId, clientId: { $eq: clientId, $type: 'string' } });

  return {
    async createRun(run: Run) {
      for (let attempt = 1; ; attempt++) {
        const key = await sessionKey(store, run.sessionId);
        if (key === null) throw new NotFoundError('Session', run.sessionId);
        try {
          await store.runs.insertOne(toRunDoc(run, key));
        } catch (error) {
          if (!isDuplicateKey(error) || attempt >= MAX_ATTEMPTS) throw error;
          if (run.clientId !== null) {
            const earlier = await byClientId(run.sessionId, run.clientId);
            if (earlier && earlier.sessionKey === key) return { run: fromRunDoc(earlier), created: false };
            if (earlier) {
              // A leftover of a removed incarnation of the session: it holds the clientId no more.
              await store.runs.deleteOne({ _id: earlier._id, sessionKey: earlier.sessionKey });
              continue;
            }
          }
          if (await store.runs.countDocuments({ _id: run.id }, { limit: 1 })) throw idTaken('Run', run.id);
          continue; // the run that held the key went meanwhile: try again
        }
        // A deleteSession between the check and the insert has already removed the session's
        // runs, and would miss this one: look again, and take it back if the session went.
        if (!(await isLive(store, run.sessionId, key))) {
          await store.runs.deleteOne({ _id: run.id, sessionKey: key });
          throw new NotFoundError('Session', run.sessionId);
        }
        return { run: fromRunDoc(toRunDoc(run, key)), created: true };
      }
    },

    async getRun(id) {
      const doc = await store.runs.findOne({ _id: id });
      return doc && fromRunDoc(doc);
    },

    async findRunByClientId(sessionId, clientId) {
      const key = await sessionKey(store, sessionId);
      if (key === null) return null;
      const doc = await byClientId(sessionId, clientId);
      return doc && doc.sessionKey === key ? fromRunDoc(doc) : null;
    },

    async listRuns({ filter, direction, after, limit }) {
      if (limit <= 0) return []; // a limit of 0 means none to the server
      const key = filter.sessionId === undefined ? null : await sessionKey(store, filter.sessionId);
      if (filter.sessionId !== undefined && key === null) return [];
      const query = filterQuery(filter, key);
      const dir = direction === 'ASC' ? 1 : -1;
      const sort: Sort = { createdAt: dir, _id: dir };
      const docs = await store.runs
        .find(after ? { $and: [query, afterQuery(direction, after)] } : query)
        .sort(sort)
        .limit(limit)
        .toArray();
      return docs.map(fromRunDoc);
    },

    async countRuns(filter) {
      const key = filter.sessionId === undefined ? null : await sessionKey(store, filter.sessionId);
      if (filter.sessionId !== undefined && key === null) return 0;
      return store.runs.countDocuments(filterQuery(filter, key));
    },

    async updateRun(id, changes, { expectedStatuses, expectedVersion }) {
      const set: Record<string, unknown> = {};
      for (const field of CHANGEABLE) {
        const value = changes[field];
        // The driver would store an undefined value as null: absent means unchanged.
        if (value !== undefined) set[field] = value instanceof Date ? new Date(value.getTime()) : value;
      }
      const filter: Filter<RunDoc> = { _id: id, status: { $in: [...expectedStatuses] } };
      if (expectedVersion !== undefined) filter.version = expectedVersion;
      const update = Object.keys(set).length > 0 ? { $set: set, $inc: { version: 1 } } : { $inc: { version: 1 } };
      const doc = await store.runs.findOneAndUpdate(filter, update, { returnDocument: 'after' });
      if (doc) return fromRunDoc(doc);
      if (!(await store.runs.countDocuments({ _id: id }, { limit: 1 }))) throw new NotFoundError('Run', id);
      return null;
    },

    async getSlot(sessionId) {
      const doc = await store.runSlots.findOne({ _id: sessionId });
      return doc?.runId ?? null;
    },

    async moveSlot(sessionId, from, to) {
      if (from !== null) {
        if (to === null) return (await store.runSlots.deleteOne({ _id: sessionId, runId: from })).deletedCount === 1;
        return (await store.runSlots.updateOne({ _id: sessionId, runId: from }, { $set: { runId: to } })).matchedCount === 1;
      }
      for (let attempt = 1; ; attempt++) {
        const key = await sessionKey(store, sessionId);
        if (key === null) return false;
        const held = await store.runSlots.findOne({ _id: sessionId });
        if (held && held.sessionKey !== key) {
          // Claimed by a removed incarnation of the session (expired, not swept yet): it is free.
          await store.runSlots.deleteOne({ _id: sessionId, sessionKey: held.sessionKey });
          continue;
        }
        if (held) return false;
        if (to === null) return true; // free already: moving from free to free
        try {
          await store.runSlots.insertOne({ _id: sessionId, runId: to, sessionKey: key });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          if (attempt >= MAX_ATTEMPTS) return false;
          continue; // taken meanwhile: look at who holds it
        }
        // Like createRun: a deleteSession racing with the claim may have freed the slot before
        // the insert. Take the claim back when the session went.
        if (!(await isLive(store, sessionId, key))) {
          await store.runSlots.deleteOne({ _id: sessionId, sessionKey: key });
          return false;
        }
        return true;
      }
    },

    async listExpiredRuns(now, limit) {
      if (limit <= 0) return [];
      const docs = await store.runs
        .find({ status: 'RUNNING', leaseExpiresAt: { $lt: now } })
        .sort({ leaseExpiresAt: 1 })
        .limit(limit)
        .toArray();
      return docs.map(fromRunDoc);
    },
  };
}
