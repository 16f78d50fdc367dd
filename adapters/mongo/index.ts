import { MongoClient, type MongoClientOptions } from 'mongodb';
import { redactUrl } from '../../src/core/redact.js';
import type { Storage } from '../../src/core/storage.js';
import { appendMessages } from './append.js';
import { openStore } from './collections.js';
import { listMessages } from './history.js';
import { ensureIndexes } from './indexes.js';
import { runStorage } from './runs.js';
import { MongoSettingsError, oneLine, pinnedDb } from './settings.js';
import * as sessions from './sessions.js';
import { sweep, type SweepReport } from './sweep.js';
import * as users from './users.js';

export { MongoSettingsError } from './settings.js';
export type { SweepReport } from './sweep.js';

/** Where the adapter's data lives: a connection string, or a client the caller owns. */
export type MongoConnection =
  | {
      /** A MongoDB connection string (`mongodb://…` or `mongodb+srv://…`); the adapter owns the client. */
      uri: string;
      client?: undefined;
      /** Options of the client created from `uri`. The driver's defaults by default. */
      clientOptions?: MongoClientOptions | undefined;
    }
  | {
      /** A client owned by the caller: close() leaves it open. */
      client: MongoClient;
      uri?: undefined;
      clientOptions?: undefined;
    };

/** Options of createMongoStorage (and connectMongoStorage). */
export type MongoStorageOptions = MongoConnection & {
  /** The database holding the `sessions`, `messages` and `users` collections. Default: 'parley'. */
  dbName?: string | undefined;
  /** Create the indexes at start-up (idempotent). Default: true. */
  createIndexes?: boolean | undefined;
  /**
   * How long another writer's unfinished append may stay unfinished before it is presumed dead:
   * a committed one is then completed by readers, a staged one aborted by whoever waits for one
   * of its clientIds. Safety never depends on it, only how soon a crash is cleaned up. Default: 10 s.
   */
  staleAfterMs?: number | undefined;
  /**
   * Every this many milliseconds, sweep() runs in the background (0: never; call it yourself).
   * Several instances may sweep at once. Default: 1 hour.
   */
  sweepIntervalMs?: number | undefined;
  /** Receives a line when a background sweep fails. Default: console.warn. */
  log?: ((line: string) => void) | undefined;
  /** How long ping() waits for an answer, for readiness probes. Default: 2 s. */
  pingTimeoutMs?: number | undefined;
  /** The clock, in milliseconds (tests). Default: Date.now. */
  now?: (() => number) | undefined;
};

/** The Storage contract on MongoDB, plus its housekeeping. */
export interface MongoStorage extends Storage {
  /**
   * Removes messages left without a session (deleted part-way, or expired by the TTL index) and
   * settles appends abandoned by a writer that died. Safe to run at any time, from any instance.
   */
  sweep(): Promise<SweepReport>;
}

/** The database used when no dbName is given. */
const DEFAULT_DB_NAME = 'parley';
const DEFAULT_STALE_AFTER_MS = 10_000;
const DEFAULT_SWEEP_INTERVAL_MS = 3_600_000;
const DEFAULT_PING_TIMEOUT_MS = 2_000;

/**
 * A client for the connection string, not yet connected. The driver parses the string here, with
 * no network involved: what it refuses (a scheme, a port or an option it does not know) is a
 * mistake in the configuration, which no retry mends.
 */
function clientFor(uri: string | undefined, clientOptions: MongoClientOptions | undefined): MongoClient {
  try {
    return new MongoClient(uri as string, clientOptions);
  } catch (error) {
    const reason = oneLine(error);
    // The driver may quote the string: never its password.
    const shown = uri ? reason.split(uri).join(redactUrl(uri)) : reason;
    throw new MongoSettingsError(
      `Not a valid MongoDB connection string: ${shown} (an @, : or / in a user name or password must be percent-encoded)`,
      { cause: error },
    );
  }
}

/**
 * Connects (when given a `uri`), creates the indexes and returns the Storage contract on MongoDB.
 * Works on a standalone server: no operation needs a transaction or a replica set. Fails when
 * MongoDB cannot be reached; see connectMongoStorage for start-up retries.
 */
export async function createMongoStorage(options: MongoStorageOptions): Promise<MongoStorage> {
  const owned = options.client ? null : clientFor(options.uri, options.clientOptions);
  const client = options.client ?? (owned as MongoClient);
  try {
    // Checked before connecting: a setting that breaks a guarantee fails at once, in one line.
    const db = pinnedDb(client, options.dbName ?? DEFAULT_DB_NAME);
    if (owned) await owned.connect();
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const store = openStore(db, { now: options.now ?? Date.now, staleAfterMs });
    if (options.createIndexes ?? true) await ensureIndexes(store);
    const runSweep = () => sweep(store);
    const log = options.log ?? ((line: string) => console.warn(line));
    let sweeping = false;
    const background = async () => {
      if (sweeping) return; // the previous one is still running
      sweeping = true;
      await runSweep()
        .catch((error: unknown) => log(`MongoDB sweep failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (sweeping = false));
    };
    const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    const timer = interval > 0 ? setInterval(() => void background(), interval) : null;
    timer?.unref();

    return {
      ...runStorage(store),
      createSession: (session, messages) => sessions.createSession(store, session, messages),
      getSession: (id) => sessions.getSession(store, id),
      getSessions: (ids) => sessions.getSessions(store, ids),
      listSessions: (query) => sessions.listSessions(store, query),
      countSessions: (filter) => sessions.countSessions(store, filter),
      countSessionsByOwner: (ownerIds) => sessions.countSessionsByOwner(store, ownerIds),
      updateSession: (id, changes, opts) => sessions.updateSession(store, id, changes, opts),
      deleteSession: (id) => sessions.deleteSession(store, id),
      appendMessages: (sessionId, drafts, opts) => appendMessages(store, sessionId, drafts, opts),
      listMessages: (sessionId, range) => listMessages(store, sessionId, range),
      getTotals: (filter) => sessions.getTotals(store, filter),
      upsertUser: (user) => users.upsertUser(store, user),
      getUser: (id) => users.getUser(store, id),
      getUsers: (ids) => users.getUsers(store, ids),
      listUsers: (query) => users.listUsers(store, query),
      countUsers: () => users.countUsers(store),
      deleteUser: (id) => users.deleteUser(store, id),
      sweep: runSweep,
      async ping() {
        await db.command({ ping: 1 }, { timeoutMS: options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS });
      },
      async close() {
        if (timer) clearInterval(timer);
        await owned?.close();
      },
    };
  } catch (error) {
    await owned?.close().catch(() => undefined);
    throw error;
  }
}
