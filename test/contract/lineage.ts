import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/core/errors.js';
import { messages, range, type ContractContext } from './harness.js';

export function lineageContract(ctx: ContractContext) {
  const history = async (id: string) => {
    const page = await ctx.service.history(id, { first: 100 });
    return page.edges.map((e) => e.node);
  };

  describe('copy', () => {
    it('forks a session up to a seq with its settings, recording where it came from', async () => {
      const source = await ctx.service.createSession({
        ownerId: 'alice',
        title: 'Original',
        model: 'm1',
        systemPrompt: 'sys',
        context: { c: 1 },
        metadata: { k: 'v' },
        messages: messages(6).map((m, i) => ({ ...m, clientId: `c${i}` })),
      });
      const fork = await ctx.service.copySession(source.id, { upToSeq: 4, title: 'Retry' });
      expect(fork).toMatchObject({
        ownerId: 'alice',
        title: 'Retry',
        model: 'm1',
        systemPrompt: 'sys',
        context: { c: 1 },
        metadata: { k: 'v' },
        messageCount: 4,
        lastSeq: 4,
        forkedFrom: { sessionId: source.id, seq: 4 },
        version: 1,
      });
      const [original, copied] = [await history(source.id), await history(fork.id)];
      expect(copied.map((m) => [m.seq, m.role, m.content, m.clientId, m.createdAt])).toEqual(
        original.slice(0, 4).map((m) => [m.seq, m.role, m.content, m.clientId, m.createdAt]),
      );
      expect(copied.every((m, i) => m.id !== original[i]!.id && m.sessionId === fork.id)).toBe(true);
      expect(await ctx.service.getSession(source.id)).toEqual(source);
      const more = await ctx.service.appendMessages(fork.id, { messages: messages(1) });
      expect(more.messages[0]!.seq).toBe(5);
      expect((await ctx.service.getSession(source.id)).messageCount).toBe(6);
    });

    it('copies every message by default and refuses a seq beyond the last one', async () => {
      const source = await ctx.service.createSession({ title: 'T', messages: messages(3) });
      const full = await ctx.service.copySession(source.id, { newId: 'full-copy' });
      expect(full).toMatchObject({ id: 'full-copy', title: 'T', messageCount: 3, forkedFrom: { sessionId: source.id, seq: 3 } });
      await expect(ctx.service.copySession(source.id, { upToSeq: 4 })).rejects.toBeInstanceOf(ValidationError);
      await expect(ctx.service.copySession('missing')).rejects.toBeInstanceOf(NotFoundError);
      expect(await ctx.service.countSessions()).toBe(2);
    });
  });

  describe('merge', () => {
    async function pair() {
      const a = await ctx.service.createSession({
        id: 'a',
        title: 'A',
        model: 'model-a',
        metadata: { shared: 'a', onlyA: 1 },
        context: { who: 'a' },
        messages: messages(3, 'a').map((m, i) => ({ ...m, clientId: `k${i}` })),
      });
      const b = await ctx.service.createSession({
        id: 'b',
        title: 'B',
        metadata: { shared: 'b', onlyB: 2 },
        context: { who: 'b' },
        messages: messages(2, 'b').map((m, i) => ({ ...m, clientId: `k${i + 1}` })),
      });
      await ctx.service.appendMessages('a', { messages: messages(1, 'a-late') });
      return { a, b };
    }

    it('concatenates sources in the order given, renumbering, with later sources winning on metadata', async () => {
      await pair();
      const ab = await ctx.service.mergeSessions({ ids: ['a', 'b'] });
      const ba = await ctx.service.mergeSessions({ ids: ['b', 'a'], title: 'Both' });
      expect((await history(ab.id)).map((m) => [m.seq, m.content])).toEqual([
        [1, 'a-1'], [2, 'a-2'], [3, 'a-3'], [4, 'a-late-1'], [5, 'b-1'], [6, 'b-2'],
      ]);
      expect((await history(ba.id)).map((m) => m.content)).toEqual(['b-1', 'b-2', 'a-1', 'a-2', 'a-3', 'a-late-1']);
      expect(ab).toMatchObject({ title: 'A', model: 'model-a', mergedFrom: ['a', 'b'], metadata: { shared: 'b', onlyA: 1, onlyB: 2 }, context: { who: 'b' } });
      expect(ba).toMatchObject({ title: 'Both', mergedFrom: ['b', 'a'], metadata: { shared: 'a', onlyA: 1, onlyB: 2 }, context: { who: 'a' } });
      expect(ab.messageCount).toBe(6);
    });

    it('interleaves by time in CHRONOLOGICAL order, ties keeping source order', async () => {
      await pair();
      const merged = await ctx.service.mergeSessions({ ids: ['b', 'a'], order: 'CHRONOLOGICAL' });
      const contents = (await history(merged.id)).map((m) => m.content);
      expect(contents).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'a-late-1']);
      expect(range(1, 6)).toEqual((await history(merged.id)).map((m) => m.seq));
    });

    it('keeps clientIds unique by dropping those an earlier source already holds', async () => {
      await pair();
      const merged = await ctx.service.mergeSessions({ ids: ['a', 'b'] });
      const clientIds = (await history(merged.id)).map((m) => m.clientId);
      expect(clientIds).toEqual(['k0', 'k1', 'k2', null, null, null]);
    });

    it('leaves the sources untouched and creates nothing when a source is missing', async () => {
      const { a, b } = await pair();
      const before = [await ctx.service.getSession('a'), await ctx.service.getSession('b')];
      await ctx.service.mergeSessions({ ids: ['a', 'b'] });
      expect([await ctx.service.getSession('a'), await ctx.service.getSession('b')]).toEqual(before);
      expect(before[1]).toEqual(b);
      expect(a.id).toBe('a');
      await expect(ctx.service.mergeSessions({ ids: ['a', 'gone'] })).rejects.toBeInstanceOf(NotFoundError);
      await expect(ctx.service.mergeSessions({ ids: ['a', 'a'] })).rejects.toBeInstanceOf(ValidationError);
      expect(await ctx.service.countSessions()).toBe(3);
    });
  });
}
