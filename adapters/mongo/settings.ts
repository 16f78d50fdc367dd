import { ReadPreference, type Db, type MongoClient } from 'mongodb';

/** An error's message on one line, for a log line or an error of one line. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/**
 * A setting of the connection string or client that would break a guarantee of the Storage
 * contract. It is a mistake in the configuration, not an outage: start-up does not retry it.
 */
export class MongoSettingsError extends Error {
  override name = 'MongoSettingsError';
}

/**
 * The database as the adapter uses it, whatever the connection string says: every read from the
 * primary (a session's `visibleSeq` and the messages it covers must come from the same node), and
 * every write acknowledged by a majority (a claimed clientId or a committed append must survive a
 * failover). On a standalone server, majority is that server.
 *
 * Unacknowledged writes (`w=0`) cannot be pinned away silently: the caller asked for writes that
 * report nothing, and the adapter's conditional updates need their answers. Refused, in one line.
 */
export function pinnedDb(client: MongoClient, dbName: string): Db {
  if (client.writeConcern?.w === 0) {
    throw new MongoSettingsError(
      'MongoDB write concern w=0 (unacknowledged writes) is not supported: Parley needs every write acknowledged to keep appends and clientIds exact; remove w=0 from the connection string',
    );
  }
  return client.db(dbName, { readPreference: ReadPreference.primary, writeConcern: { w: 'majority' } });
}
