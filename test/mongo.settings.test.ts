import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { connectMongoStorage } from '../adapters/mongo/connect.js';
import { createMongoStorage, MongoSettingsError } from '../adapters/mongo/index.js';
import { pinnedDb } from '../adapters/mongo/settings.js';

// These run without a MongoDB server: the settings are checked before the adapter connects.
// What pinning changes on a replica set (reads from the primary, majority-acknowledged writes)
// cannot be observed on these machines, which have no MongoDB; the MongoDB suites run the
// adapter with these settings wherever a server is available.

describe('MongoDB safety settings', () => {
  it('refuses w=0 at once with one line, without connecting, and start-up does not retry it', async () => {
    const lines: string[] = [];
    const uri = 'mongodb://127.0.0.1:9/?w=0';
    const started = Date.now();
    const error = (await connectMongoStorage({ uri, clientOptions: { serverSelectionTimeoutMS: 5000 } }, { log: (l) => lines.push(l), initialDelayMs: 10 }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MongoSettingsError);
    expect(error.message).toMatch(/^MongoDB write concern w=0 \(unacknowledged writes\) is not supported: .*remove w=0 from the connection string$/);
    expect(error.message).not.toContain('\n');
    expect(lines).toEqual([]);
    // Nothing listens on port 9: an attempt to connect would have waited for server selection.
    expect(Date.now() - started).toBeLessThan(4000);
    await expect(createMongoStorage({ uri })).rejects.toBeInstanceOf(MongoSettingsError);
  });

  it('refuses a caller-owned client configured with w=0 too', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:9/', { writeConcern: { w: 0 } });
    await expect(createMongoStorage({ client })).rejects.toBeInstanceOf(MongoSettingsError);
    await client.close();
  });

  it('reads from the primary and writes with majority, whatever the connection string asks', async () => {
    for (const uri of ['mongodb://127.0.0.1:9/?readPreference=secondaryPreferred&w=1', 'mongodb://127.0.0.1:9/?readPreference=nearest', 'mongodb://127.0.0.1:9/']) {
      const client = new MongoClient(uri);
      const db = pinnedDb(client, 'parley');
      expect(db.readPreference.mode).toBe('primary');
      expect(db.writeConcern?.w).toBe('majority');
      const messages = db.collection('messages');
      expect(messages.readPreference?.mode).toBe('primary');
      expect(messages.writeConcern?.w).toBe('majority');
      await client.close();
    }
  });
});
