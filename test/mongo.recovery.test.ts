import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { commitBatch, newToken, stageBatch } from '../adapters/mongo/batches.js';
import { openStore, type Store } from '../adapters/mongo/collections.js';
import type { Role } from '../src/core/model.js';
import { createSessionService } from '../src/core/service/index.js';
import { summarizeBatch, type BatchSummary } from '../src/core/stats.js';
import type { MessageDraft } from '../src/core/storage.js';
import { range, seqs, steppingClock } from './contract/harness.js';
import { describeWithMongo, type TestStorage } from './mongo/harness.js';

const STALE_AFTER_MS = 200;

/**
 * Appends cut short by a writer that died: whatever step it died after, nothing is lost twice,
 * stored twice, or left half-visible, and the session carries on.
 */
describeWithMongo('MongoDB adapter: appends whose writer died', (mongo) => {
  async function setup() {
    let clock = Date.now();
    const storage = await mongo.storage({ staleAfterMs: STALE_AFTER_MS, now: () => clock });
    const store = openStore(mongo.client().db(storage.dbName), { now: () => clock, staleAfterMs: STALE_AFTER_MS });
    const service = createSessionService({ storage, now: steppingClock() });
    return { storage, store, service, advance: (ms: number) => (clock += ms) };
  }

  const draft = (content: string, clientId: string | null = null, role: Role = 'USER'): MessageDraft => ({
    id: randomUUID(),
    role,
    content,
    name: null,
    metadata: {},
    createdAt: new Date(),
    clientId,
  });

  /** What a writer does up to its death: stage the drafts and, if `commit`, reserve their seqs. */
  async function dieAfter(store: Store, sessionId: string, drafts: MessageDraft[], commit: boolean): Promise<string> {
    const session = await store.sessions.findOne({ _id: sessionId });
    const token = newToken();
    await stageBatch(store, session!.key, token, drafts);
    if (commit) {
      const summary = summarizeBatch(drafts.map((d, i) => ({ ...d, seq: i + 1 }))) as BatchSummary;
      const request = { token, count: drafts.length, summary, expectedSeq: null, maxMessages: 1000, updatedAt: new Date(), expiresAt: null };
      expect(await commitBatch(store, sessionId, session!.key, request)).not.toBeNull();
    }
    return token;
  }

  const contents = async (storage: TestStorage, id: string) => (await storage.listMessages(id, { direction: 'ASC', limit: 100 })).map((m) => m.content);

  it('completes a committed append on the next append, in seq order', async () => {
    const { storage, store, service } = await setup();
    try {
      const s = await service.createSession({ messages: [{ role: 'USER', content: 'before' }] });
      await dieAfter(store, s.id, [draft('lost-1'), draft('lost-2')], true);
      expect(await contents(storage, s.id)).toEqual(['before']);
      const next = await service.appendMessages(s.id, { messages: [{ role: 'USER', content: 'after' }] });
      expect(seqs(next.messages)).toEqual([4]);
      expect(await contents(storage, s.id)).toEqual(['before', 'lost-1', 'lost-2', 'after']);
      expect(next.session).toMatchObject({ messageCount: 4, lastSeq: 4 });
    } finally {
      await storage.close();
    }
  });

  it('lets a reader complete a committed append once it is stale', async () => {
    const { storage, store, service, advance } = await setup();
    try {
      const s = await service.createSession({});
      await dieAfter(store, s.id, [draft('a'), draft('b')], true);
      expect(await contents(storage, s.id)).toEqual([]);
      advance(STALE_AFTER_MS + 1);
      expect(await contents(storage, s.id)).toEqual(['a', 'b']);
    } finally {
      await storage.close();
    }
  });

  it('lets a retry take over a clientId staged by a writer that died before committing', async () => {
    const { storage, store, service, advance } = await setup();
    try {
      const s = await service.createSession({});
      const token = await dieAfter(store, s.id, [draft('first try', 'k')], false);
      advance(STALE_AFTER_MS);
      const retry = await service.appendMessages(s.id, { messages: [{ role: 'USER', content: 'retry', clientId: 'k' }] });
      expect(retry.added.map((m) => [m.seq, m.content, m.clientId])).toEqual([[1, 'retry', 'k']]);
      expect(await contents(storage, s.id)).toEqual(['retry']);
      expect(await store.messages.countDocuments({ batch: token })).toBe(0);
      // Had the first writer only been slow, its commit is now refused: it starts over and finds 'k' stored.
      const late = await store.sessions.findOne({ _id: s.id });
      const summary = summarizeBatch([{ ...draft('first try'), seq: 1 }]) as BatchSummary;
      const request = { token, count: 1, summary, expectedSeq: null, maxMessages: 1000, updatedAt: new Date(), expiresAt: null };
      expect(await commitBatch(store, s.id, late!.key, request)).toBeNull();
      expect((await service.getSession(s.id)).messageCount).toBe(1);
    } finally {
      await storage.close();
    }
  });

  it('takes over such a clientId after waiting staleAfterMs even when the dead writer\'s clock ran ahead', async () => {
    const { storage, store, service } = await setup();
    try {
      const s = await service.createSession({});
      const skewed = { ...store, now: () => store.now() + 3_600_000 };
      await dieAfter(skewed, s.id, [draft('first try', 'k')], false);
      const retry = await service.appendMessages(s.id, { messages: [{ role: 'USER', content: 'retry', clientId: 'k' }] });
      expect(retry.added.map((m) => m.content)).toEqual(['retry']);
    } finally {
      await storage.close();
    }
  });

  it('waits for a clientId staged by a live writer instead of storing it twice', async () => {
    const { storage, store, service } = await setup();
    try {
      const s = await service.createSession({});
      await dieAfter(store, s.id, [draft('x', 'k')], true);
      const retry = await service.appendMessages(s.id, { messages: [{ role: 'USER', content: 'x', clientId: 'k' }, { role: 'ASSISTANT', content: 'y' }] });
      expect(retry.messages.map((m) => [m.seq, m.content])).toEqual([[1, 'x'], [2, 'y']]);
      expect(retry.added.map((m) => m.content)).toEqual(['y']);
      expect(await contents(storage, s.id)).toEqual(['x', 'y']);
    } finally {
      await storage.close();
    }
  });

  it('sweeps away messages left without a session and appends abandoned before their commit', async () => {
    const { storage, store, service, advance } = await setup();
    try {
      const kept = await service.createSession({ messages: [{ role: 'USER', content: 'kept' }] });
      const expired = await service.createSession({ messages: range(1, 5).map((i) => ({ role: 'USER' as const, content: `e${i}` })) });
      await dieAfter(store, kept.id, [draft('abandoned')], false);
      // What the TTL monitor does to an expired session: it removes the document, not its messages.
      await store.sessions.deleteOne({ _id: expired.id });
      expect(await storage.sweep()).toEqual({ orphanedMessages: 0, staleBatches: 0, orphanedRuns: 0 }); // too recent: maybe still being written
      advance(11 * 60_000);
      expect(await storage.sweep()).toEqual({ orphanedMessages: 5, staleBatches: 1, orphanedRuns: 0 });
      expect(await store.messages.countDocuments({})).toBe(1);
      expect(await contents(storage, kept.id)).toEqual(['kept']);
    } finally {
      await storage.close();
    }
  });
});
