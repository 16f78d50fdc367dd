import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, inject, it } from 'vitest';
import { createMongoStorage, type MongoStorage, type MongoStorageOptions } from '../../adapters/mongo/index.js';

/** A storage on a database of its own, dropped when the storage is closed. */
export interface TestStorage extends MongoStorage {
  dbName: string;
}

export interface MongoEnv {
  /** The server's connection string. */
  uri: string;
  /** A client for looking at the database directly (explain, raw documents). */
  client(): MongoClient;
  /** A new storage on a new, empty database (through `client` when given). */
  storage(options?: Omit<MongoStorageOptions, 'client' | 'uri' | 'clientOptions' | 'dbName'> & { client?: MongoClient }): Promise<TestStorage>;
}

/**
 * `describe` for suites that need MongoDB: gives them a client and fresh databases, or, when the
 * run has no MongoDB (see server.ts), registers the suite as skipped with the reason in its title
 * and says so on the console.
 */
export function describeWithMongo(title: string, define: (env: MongoEnv) => void): void {
  const target = inject('mongo');
  if (!target.uri) {
    describeSkipped(title, target.description);
    return;
  }
  const uri = target.uri;
  describe(`${title} (${target.description})`, () => {
    let client: MongoClient | null = null;
    const connected = (): MongoClient => (client ??= new MongoClient(uri));
    afterAll(async () => {
      await client?.close();
    });
    define({
      uri,
      client: connected,
      async storage({ client: own, ...options } = {}) {
        const dbName = `parley_test_${randomBytes(6).toString('hex')}`;
        const db = connected().db(dbName);
        const storage = await createMongoStorage({ client: own ?? connected(), dbName, sweepIntervalMs: 0, ...options });
        return {
          ...storage,
          dbName,
          async close() {
            await storage.close();
            await db.dropDatabase();
          },
        };
      },
    });
  });
}

/**
 * Registers a MongoDB suite as skipped, the reason in its title, and says so in one line on the
 * console: `[mongo] SKIPPED "title": reason` (a reason of one line, no stack trace).
 */
export function describeSkipped(title: string, reason: string, needs = 'MONGODB_URI, MONGOMS_SYSTEM_BINARY or a downloadable mongod'): void {
  console.warn(`[mongo] SKIPPED "${title}": ${reason}`);
  describe.skip(`${title} (SKIPPED: ${reason})`, () => {
    it(`runs against MongoDB when ${needs} is available`, () => {});
  });
}
