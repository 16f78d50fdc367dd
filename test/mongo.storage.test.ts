import { expect, it } from 'vitest';
import { ConflictError } from '../src/core/errors.js';
import { createMongoStorage } from '../adapters/mongo/index.js';
import { openStore } from '../adapters/mongo/collections.js';
import { createSessionService } from '../src/core/service/index.js';
import { messages, steppingClock } from './contract/harness.js';
import { describeWithMongo } from './mongo/harness.js';

/** What the contract cannot see: the documents and indexes behind it. */
describeWithMongo('MongoDB adapter: documents and indexes', (mongo) => {
  async function setup() {
    const storage = await mongo.storage();
    const store = openStore(mongo.client().db(storage.dbName), { now: Date.now, staleAfterMs: 10_000 });
    return { storage, store, service: createSessionService({ storage, now: steppingClock() }) };
  }

  it('creates its indexes at start-up, and starting again on the same database changes nothing', async () => {
    const { storage, store } = await setup();
    try {
      const again = await createMongoStorage({ client: mongo.client(), dbName: storage.dbName, sweepIntervalMs: 0 });
      await again.close();
      const messageIndexes = await store.messages.listIndexes().toArray();
      const sessionIndexes = await store.sessions.listIndexes().toArray();
      expect(messageIndexes.map((i) => i.name).sort()).toEqual(['_id_', 'client_id', 'history', 'history_by_role', 'staged']);
      expect(sessionIndexes.map((i) => i.name).sort()).toEqual(['_id_', 'created', 'expiry', 'key', 'owner_created', 'owner_updated', 'updated']);
      expect(messageIndexes.find((i) => i.name === 'history')).toMatchObject({ key: { session: 1, seq: 1 }, unique: true });
      expect(messageIndexes.find((i) => i.name === 'client_id')).toMatchObject({
        unique: true,
        partialFilterExpression: { clientId: { $type: 'string' } },
      });
      expect(sessionIndexes.find((i) => i.name === 'expiry')).toMatchObject({ key: { expiresAt: 1 }, expireAfterSeconds: 0 });
    } finally {
      await storage.close();
    }
  });

  it('stores metadata and context keys that MongoDB cannot take as they are, and filters on them', async () => {
    const { storage, service } = await setup();
    try {
      const awkward = JSON.parse('{"a.b":1,"$set":{"x.y":[{"$in":true}]},"":"empty","50%":"half"}');
      const s = await service.createSession({ metadata: awkward, context: awkward, messages: [{ role: 'USER', content: 'm', metadata: awkward }] });
      expect(await service.getSession(s.id)).toMatchObject({ metadata: awkward, context: awkward });
      expect((await service.history(s.id)).edges[0]?.node.metadata).toEqual(awkward);
      await service.createSession({ metadata: { 'a.b': 2, a: { b: 1 } } });
      for (const [key, value] of [['a.b', 1], ['$set', null], ['50%', 'half']] as const) {
        const ids = (await service.listSessions({ filter: { metadata: { [key]: value } } })).edges.map((e) => e.node.id);
        expect(ids, key).toEqual(key === '$set' ? [] : [s.id]);
      }
    } finally {
      await storage.close();
    }
  });

  it('removes the message documents of a deleted session', async () => {
    const { storage, store, service } = await setup();
    try {
      const doomed = await service.createSession({ messages: messages(4) });
      const kept = await service.createSession({ messages: messages(2) });
      const { key } = (await store.sessions.findOne({ _id: doomed.id }))!;
      await service.deleteSession(doomed.id);
      expect(await store.messages.countDocuments({ session: key })).toBe(0);
      expect(await store.messages.countDocuments({})).toBe(2);
      expect((await service.getSession(kept.id)).messageCount).toBe(2);
    } finally {
      await storage.close();
    }
  });

  it('lets one of two racing creations of an id win and leaves no message of the other behind', async () => {
    const { storage, store, service } = await setup();
    try {
      const attempts = await Promise.allSettled([
        service.createSession({ id: 'same', messages: messages(3, 'a') }),
        service.createSession({ id: 'same', messages: messages(5, 'b') }),
      ]);
      const won = attempts.filter((a) => a.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConflictError);
      const stored = await service.getSession('same');
      expect(await store.messages.countDocuments({})).toBe(stored.messageCount);
    } finally {
      await storage.close();
    }
  });

  it('stores each clientId once when calls race with the same clientIds in different orders', async () => {
    const { storage, service } = await setup();
    try {
      const s = await service.createSession({});
      const keys = ['k0', 'k1', 'k2'];
      const calls = Array.from({ length: 12 }, (_, i) => [0, 1, 2].map((j) => keys[(i + j) % 3] as string));
      const results = await Promise.all(
        calls.map((order) => service.appendMessages(s.id, { messages: order.map((clientId) => ({ role: 'USER' as const, content: clientId, clientId })) })),
      );
      const stored = (await service.history(s.id)).edges.map((e) => e.node);
      expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(stored.map((m) => m.clientId).sort()).toEqual(keys);
      for (const [i, result] of results.entries()) {
        expect(result.messages.map((m) => m.clientId)).toEqual(calls[i]);
        expect(result.messages.every((m) => stored.some((x) => x.id === m.id && x.seq === m.seq))).toBe(true);
      }
      expect(results.reduce((n, r) => n + r.added.length, 0)).toBe(3);
    } finally {
      await storage.close();
    }
  });

  it('keeps a reused id apart from what its previous session left behind', async () => {
    const { storage, store, service } = await setup();
    try {
      await service.createSession({ id: 'reused', messages: messages(3, 'old') });
      await store.sessions.deleteOne({ _id: 'reused' }); // as the TTL monitor would: messages stay
      await service.createSession({ id: 'reused', messages: messages(1, 'new') });
      expect((await service.history('reused')).edges.map((e) => e.node.content)).toEqual(['new-1']);
      await service.appendMessages('reused', { messages: messages(1, 'more') });
      expect((await service.history('reused')).edges.map((e) => [e.node.seq, e.node.content])).toEqual([[1, 'new-1'], [2, 'more-1']]);
    } finally {
      await storage.close();
    }
  });
});
