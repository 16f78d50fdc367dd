import type { JsonObject } from './json.js';
import type { RunStorage } from './run.js';
import type { GlobalStats, Message, Role, Session, SessionFilter, SessionOrder, User } from './model.js';

/** A message as the service hands it to storage for appending: the store assigns `seq` and `sessionId`. */
export type MessageDraft = Omit<Message, 'seq' | 'sessionId'>;

/** The fields of a session's settings that an update replaces (absent = unchanged). */
export interface SessionChanges {
  title?: string | null;
  model?: string | null;
  systemPrompt?: string | null;
  context?: JsonObject;
  metadata?: JsonObject;
  personaId?: string | null;
  summary?: string | null;
  summarizedUpToSeq?: number | null;
}

/** Where a session sits in a listing: the value of the ordered field and the id that breaks ties. */
export interface SessionKey {
  at: Date;
  id: string;
}

export interface SessionQuery {
  filter: SessionFilter;
  order: SessionOrder;
  /** Return only sessions strictly after this key in `order`. */
  after?: SessionKey | undefined;
  limit: number;
}

export interface MessageRange {
  /** Only messages with seq > afterSeq. */
  afterSeq?: number | undefined;
  /** Only messages with seq < beforeSeq. */
  beforeSeq?: number | undefined;
  /** Only messages with one of these roles; all roles when absent or empty. */
  roles?: readonly Role[] | undefined;
  /** ASC: the lowest seqs of the range first; DESC: the highest first. */
  direction: 'ASC' | 'DESC';
  limit: number;
}

export interface AppendOptions {
  /** Reject unless the session's lastSeq equals this (checked atomically with the append). */
  expectedSeq?: number | null | undefined;
  /** The session may hold at most this many messages after the append. */
  maxMessages: number;
  /** The time of the write: becomes the session's updatedAt. */
  at: Date;
  /** The session's new expiry, or null for none. */
  expiresAt: Date | null;
}

export interface AppendResult {
  /** The session after the append. */
  session: Session;
  /** One message per draft, in draft order: stored by this call, or earlier under the same clientId. */
  messages: Message[];
  /** The messages this call stored, in seq order (empty for a pure retry). */
  added: Message[];
}

export interface UpdateOptions {
  /** Reject unless the session's version equals this (checked atomically with the update). */
  expectedVersion?: number | null | undefined;
  at: Date;
  expiresAt: Date | null;
}

export type SessionTotals = Omit<GlobalStats, 'userCount'>;

/**
 * The storage contract. Every adapter implements it and passes the contract suite (test/contract).
 *
 * Common rules:
 * - Every returned object is the caller's own: mutating it never changes stored data, and data
 *   passed in is copied, never retained.
 * - "Not found" is `null` (or `false`) for reads; writes on a missing session throw NotFoundError.
 * - Expected failures are the errors of ./errors.ts; anything else is an adapter failure.
 * - A session past its `expiresAt` may be removed by the adapter at any time after that moment.
 */
export interface Storage extends RunStorage {
  /**
   * Stores a new session together with its initial messages, whose seqs the caller assigned
   * (strictly increasing). All or nothing: readers never see the session without all of its
   * messages, and a failure leaves nothing behind. Throws ConflictError(ID_TAKEN) when the id exists.
   */
  createSession(session: Session, messages: readonly Message[]): Promise<Session>;

  /** The session, or null. */
  getSession(id: string): Promise<Session | null>;

  /** One entry per id, in the order of `ids` (null where not found), in a single round trip. */
  getSessions(ids: readonly string[]): Promise<(Session | null)[]>;

  /**
   * Up to `limit` sessions matching `filter`, in `order` with ties broken by id in the same
   * direction, starting strictly after `after`. Keyset pagination: a page costs the same wherever
   * it starts, and a session that keeps its key is never returned twice nor skipped.
   */
  listSessions(query: SessionQuery): Promise<Session[]>;

  /** How many sessions match `filter` (the totalCount of a listing). */
  countSessions(filter: SessionFilter): Promise<number>;

  /**
   * How many sessions each owner has (what countSessions({ ownerId }) gives for each), one entry
   * per id in the order of `ownerIds`, in a single round trip: a page of users with their counts.
   */
  countSessionsByOwner(ownerIds: readonly string[]): Promise<number[]>;

  /**
   * Replaces the given settings, bumps `version` by one and sets updatedAt and expiresAt, in one
   * atomic step. Throws NotFoundError, or ConflictError(VERSION_MISMATCH) when `expectedVersion`
   * is given and differs from the stored version (nothing is changed then).
   */
  updateSession(id: string, changes: SessionChanges, options: UpdateOptions): Promise<Session>;

  /** Removes the session and all of its messages. Returns the removed session, or null. */
  deleteSession(id: string): Promise<Session | null>;

  /**
   * Appends messages atomically: either every new message is stored, with consecutive seqs after
   * the session's lastSeq in draft order, or none is. A draft whose clientId is already stored in
   * the session is not stored again; the stored message is returned in its place, also when two
   * retries race. When every draft is such a retry the call succeeds without checking
   * `expectedSeq`. Otherwise throws ConflictError(SEQ_MISMATCH) when `expectedSeq` differs from
   * lastSeq, LimitExceededError(maxMessagesPerSession) when the session would exceed
   * `maxMessages`, NotFoundError when the session does not exist; nothing is written then.
   * Concurrent appends on one session never share a seq nor interleave within one call.
   * Updates the session's counters (messageCount, lastSeq, messagesByRole, exchangeCount, lastRole,
   * first/lastMessageAt, preview), its updatedAt and expiresAt; not its version.
   */
  appendMessages(sessionId: string, drafts: readonly MessageDraft[], options: AppendOptions): Promise<AppendResult>;

  /**
   * Messages of the session within `range`, ordered by seq in `range.direction`, at most
   * `range.limit`. Cost depends on the page, not on the size of the session. Messages are
   * immutable, so a seq range read twice gives the same messages; an unknown session gives [].
   */
  listMessages(sessionId: string, range: MessageRange): Promise<Message[]>;

  /** Totals over the sessions matching `filter`, computed by the store (no history is loaded). */
  getTotals(filter: SessionFilter): Promise<SessionTotals>;

  /**
   * Creates the user, or replaces name, profile and metadata of an existing one (keeping its
   * createdAt). Atomic per user.
   */
  upsertUser(user: User): Promise<{ user: User; created: boolean }>;

  /** The user, or null. */
  getUser(id: string): Promise<User | null>;

  /** One entry per id, in the order of `ids` (null where not found), in a single round trip. */
  getUsers(ids: readonly string[]): Promise<(User | null)[]>;

  /** Up to `limit` users ordered by id, with ids greater than `afterId`. */
  listUsers(query: { afterId?: string | undefined; limit: number }): Promise<User[]>;

  /** How many users are stored. */
  countUsers(): Promise<number>;

  /**
   * Removes the user and every session it owns (with their messages). Returns the removed
   * sessions, or null when no such user exists (then nothing is removed). Safe to call again after
   * a failure part-way: what was left is removed then.
   */
  deleteUser(id: string): Promise<{ sessions: Session[] } | null>;

  /** Resolves when the store answers; rejects otherwise. Used by readiness checks. */
  ping(): Promise<void>;

  /** Releases connections and timers. The storage is unusable afterwards. */
  close(): Promise<void>;
}
