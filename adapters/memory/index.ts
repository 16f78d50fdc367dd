import { idTaken, NotFoundError, seqConflict, sessionFull, versionConflict } from '../../src/core/errors.js';
import type { Message, Session, SessionFilter, SessionOrder, User } from '../../src/core/model.js';
import { applyBatch, summarizeBatch } from '../../src/core/stats.js';
import type { AppendResult, MessageDraft, SessionKey, SessionTotals, Storage } from '../../src/core/storage.js';
import { cloneSession, cloneUser, fromRecord, storedSession, storedUser, toRecord } from './copies.js';
import { isOwnerOnly, matchesFilter } from './filter.js';
import { MessageLog } from './message-log.js';
import { createRunTable } from './runs.js';
import { SortedIndex } from './sorted-index.js';

export interface MemoryStorageOptions {
  /** The clock that decides when sessions have expired (tests). */
  now?: () => number;
}

interface Entry {
  session: Session;
  readonly log: MessageLog;
}

type OrderIndexes = Record<SessionOrder['field'], SortedIndex<Entry>>;

const byTime = (field: 'updatedAt' | 'createdAt' | 'expiresAt') => (a: Entry, b: Entry) =>
  (a.session[field]?.getTime() ?? 0) - (b.session[field]?.getTime() ?? 0) ||
  (a.session.id < b.session.id ? -1 : a.session.id > b.session.id ? 1 : 0);

const orderIndexes = (): OrderIndexes => ({
  UPDATED_AT: new SortedIndex(byTime('updatedAt')),
  CREATED_AT: new SortedIndex(byTime('createdAt')),
});

/**
 * The in-memory adapter: the embedded default and the reference implementation of the contract.
 * Every operation runs synchronously to completion, so each one is atomic. Sessions are indexed by
 * (updatedAt, id) and (createdAt, id), globally and per owner, so a listing page walks only the
 * sessions it returns (plus those a filter skips); each session's messages live in a MessageLog.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Entry>();
  const all = orderIndexes();
  const owners = new Map<string, OrderIndexes>();
  const expiring = new SortedIndex<Entry>(byTime('expiresAt'));
  const users = new Map<string, User>();
  const userIds = new SortedIndex<string>((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  function index(entry: Entry): void {
    const { ownerId, expiresAt } = entry.session;
    let own = ownerId === null ? undefined : owners.get(ownerId);
    if (ownerId !== null && !own) owners.set(ownerId, (own = orderIndexes()));
    for (const indexes of own ? [all, own] : [all]) {
      indexes.UPDATED_AT.insert(entry);
      indexes.CREATED_AT.insert(entry);
    }
    if (expiresAt) expiring.insert(entry);
  }

  function unindex(entry: Entry): void {
    const { ownerId, expiresAt } = entry.session;
    const own = ownerId === null ? undefined : owners.get(ownerId);
    for (const indexes of own ? [all, own] : [all]) {
      indexes.UPDATED_AT.delete(entry);
      indexes.CREATED_AT.delete(entry);
    }
    if (own && own.UPDATED_AT.size === 0) owners.delete(ownerId as string);
    if (expiresAt) expiring.delete(entry);
  }

  /** Changes an entry's session, keeping every index in step. */
  function change(entry: Entry, next: Session): void {
    unindex(entry);
    entry.session = next;
    index(entry);
  }

  const runs = createRunTable((id) => live(id) !== undefined);

  function remove(entry: Entry): Session {
    unindex(entry);
    sessions.delete(entry.session.id);
    runs.dropSession(entry.session.id);
    return entry.session;
  }

  /** Drops expired sessions; cheap when none has expired (a look at the first of an index). */
  function sweep(): void {
    const t = now();
    for (let first = expiring.first(); first && (first.session.expiresAt?.getTime() ?? Infinity) <= t; first = expiring.first()) {
      remove(first);
    }
  }

  function live(id: string): Entry | undefined {
    sweep();
    return sessions.get(id);
  }

  function candidates(filter: SessionFilter, field: SessionOrder['field']): SortedIndex<Entry> | undefined {
    return filter.ownerId === undefined ? all[field] : owners.get(filter.ownerId)?.[field];
  }

  function probe(key: SessionKey): Entry {
    return { session: { id: key.id, updatedAt: key.at, createdAt: key.at } as Session } as Entry;
  }

  const { dropSession: _drop, ...runStorage } = runs;
  const storage: Storage = {
    ...runStorage,
    async createSession(session, messages) {
      if (live(session.id)) throw idTaken('Session', session.id);
      const entry: Entry = { session: storedSession(session), log: new MessageLog() };
      for (const m of messages) entry.log.append(toRecord(m, m.seq));
      sessions.set(entry.session.id, entry);
      index(entry);
      return cloneSession(entry.session);
    },

    async getSession(id) {
      const entry = live(id);
      return entry ? cloneSession(entry.session) : null;
    },

    async getSessions(ids) {
      sweep();
      return ids.map((id) => {
        const entry = sessions.get(id);
        return entry ? cloneSession(entry.session) : null;
      });
    },

    async listSessions({ filter, order, after, limit }) {
      sweep();
      const idx = candidates(filter, order.field);
      if (!idx || limit <= 0) return [];
      const from = after && probe(after);
      const walk = order.direction === 'ASC' ? idx.ascending(from) : idx.descending(from);
      const page: Session[] = [];
      for (const entry of walk) {
        if (pastRange(entry.session, filter, order)) break;
        if (!matchesFilter(entry.session, filter)) continue;
        page.push(cloneSession(entry.session));
        if (page.length >= limit) break;
      }
      return page;
    },

    async countSessionsByOwner(ownerIds) {
      sweep();
      return ownerIds.map((ownerId) => candidates({ ownerId }, 'UPDATED_AT')?.size ?? 0);
    },

    async countSessions(filter) {
      sweep();
      if (isOwnerOnly(filter)) return candidates(filter, 'UPDATED_AT')?.size ?? 0;
      let count = 0;
      for (const entry of candidates(filter, 'UPDATED_AT')?.ascending() ?? []) if (matchesFilter(entry.session, filter)) count += 1;
      return count;
    },

    async updateSession(id, changes, { expectedVersion, at, expiresAt }) {
      const entry = live(id);
      if (!entry) throw new NotFoundError('Session', id);
      const current = entry.session;
      if (expectedVersion != null && expectedVersion !== current.version) throw versionConflict(expectedVersion, current.version);
      change(entry, storedSession({ ...current, ...changes, version: current.version + 1, updatedAt: at, expiresAt }));
      return cloneSession(entry.session);
    },

    async deleteSession(id) {
      const entry = live(id);
      return entry ? remove(entry) : null;
    },

    async appendMessages(sessionId, drafts, { expectedSeq, maxMessages, at, expiresAt }): Promise<AppendResult> {
      const entry = live(sessionId);
      if (!entry) throw new NotFoundError('Session', sessionId);
      const { session, log } = entry;
      const messages: (Message | undefined)[] = new Array(drafts.length);
      const fresh: number[] = [];
      const firstInCall = new Map<string, number>();
      drafts.forEach((draft, i) => {
        if (draft.clientId !== null) {
          const stored = log.byClientId(draft.clientId);
          if (stored) return void (messages[i] = fromRecord(stored, sessionId));
          if (firstInCall.has(draft.clientId)) return;
          firstInCall.set(draft.clientId, i);
        }
        fresh.push(i);
      });
      if (fresh.length > 0) {
        if (expectedSeq != null && expectedSeq !== session.lastSeq) throw seqConflict(expectedSeq, session.lastSeq);
        const count = session.messageCount + fresh.length;
        if (count > maxMessages) throw sessionFull(maxMessages, count);
      }
      const added = fresh.map((i, k) => {
        const record = toRecord(drafts[i] as MessageDraft, session.lastSeq + 1 + k);
        log.append(record);
        return (messages[i] = fromRecord(record, sessionId));
      });
      const batch = summarizeBatch(added);
      if (batch) change(entry, { ...session, ...applyBatch(session, batch), updatedAt: at, expiresAt });
      drafts.forEach((draft, i) => {
        messages[i] ??= messages[firstInCall.get(draft.clientId as string) as number];
      });
      return { session: cloneSession(entry.session), messages: messages as Message[], added };
    },

    async listMessages(sessionId, range) {
      const entry = live(sessionId);
      if (!entry || range.limit <= 0) return [];
      return entry.log.range(range).map((record) => fromRecord(record, sessionId));
    },

    async getTotals(filter): Promise<SessionTotals> {
      sweep();
      const totals: SessionTotals = { sessionCount: 0, messageCount: 0, exchangeCount: 0, messagesByRole: { SYSTEM: 0, USER: 0, ASSISTANT: 0, TOOL: 0 } };
      for (const { session } of candidates(filter, 'UPDATED_AT')?.ascending() ?? []) {
        if (!matchesFilter(session, filter)) continue;
        totals.sessionCount += 1;
        totals.messageCount += session.messageCount;
        totals.exchangeCount += session.exchangeCount;
        for (const role of Object.keys(totals.messagesByRole) as (keyof typeof totals.messagesByRole)[]) {
          totals.messagesByRole[role] += session.messagesByRole[role];
        }
      }
      return totals;
    },

    async upsertUser(user) {
      const existing = users.get(user.id);
      const stored = storedUser(existing ? { ...user, createdAt: existing.createdAt } : user);
      users.set(stored.id, stored);
      if (!existing) userIds.insert(stored.id);
      return { user: cloneUser(stored), created: !existing };
    },

    async getUser(id) {
      const user = users.get(id);
      return user ? cloneUser(user) : null;
    },

    async getUsers(ids) {
      return ids.map((id) => {
        const user = users.get(id);
        return user ? cloneUser(user) : null;
      });
    },

    async listUsers({ afterId, limit }) {
      const page: User[] = [];
      if (limit <= 0) return page;
      for (const id of userIds.ascending(afterId)) {
        page.push(cloneUser(users.get(id) as User));
        if (page.length >= limit) break;
      }
      return page;
    },

    async countUsers() {
      return users.size;
    },

    async deleteUser(id) {
      sweep();
      if (!users.has(id)) return null;
      const owned = [...(owners.get(id)?.UPDATED_AT.ascending() ?? [])];
      const removed = owned.map((entry) => cloneSession(remove(entry)));
      users.delete(id);
      userIds.delete(id);
      return { sessions: removed };
    },

    async ping() {},

    async close() {
      sessions.clear();
      owners.clear();
      users.clear();
    },
  };
  return storage;
}

/** Whether a walk in `order` has gone past the filter's bound on the ordered field. */
function pastRange(session: Session, filter: SessionFilter, order: SessionOrder): boolean {
  const at = (order.field === 'CREATED_AT' ? session.createdAt : session.updatedAt).getTime();
  const [after, before] = order.field === 'CREATED_AT' ? [filter.createdAfter, filter.createdBefore] : [filter.updatedAfter, filter.updatedBefore];
  return order.direction === 'ASC' ? before !== undefined && at >= before.getTime() : after !== undefined && at <= after.getTime();
}
