import { describe, expect, it } from 'vitest';
import { ConflictError, LimitExceededError } from '../../src/core/errors.js';
import type { Message } from '../../src/core/model.js';
import { messages, range, seqs, type ContractContext } from './harness.js';

export function messageContract(ctx: ContractContext) {
  describe('appending', () => {
    it('gives the messages of one call consecutive seqs after the last one and returns them', async () => {
      const s = await ctx.service.createSession({ messages: messages(2) });
      const result = await ctx.service.appendMessages(s.id, { messages: messages(3, 'n') });
      expect(seqs(result.messages)).toEqual([3, 4, 5]);
      expect(result.added).toEqual(result.messages);
      expect(result.messages.map((m) => m.content)).toEqual(['n-1', 'n-2', 'n-3']);
      expect(result.session).toMatchObject({ messageCount: 5, lastSeq: 5 });
      const stored = (await ctx.service.history(s.id, { first: 10 })).edges.map((e) => e.node);
      expect(stored.slice(2)).toEqual(result.messages);
    });

    it('gives 50 concurrent calls of 20 messages seqs 1..1000 with no gap, no duplicate, each call consecutive', async () => {
      const s = await ctx.service.createSession({});
      const results = await Promise.all(
        range(1, 50).map((call) => ctx.service.appendMessages(s.id, { messages: messages(20, `c${call}`) })),
      );
      for (const { messages: stored } of results) {
        const first = stored[0]!.seq;
        expect(seqs(stored)).toEqual(range(first, first + 19));
      }
      const all = results.flatMap((r) => seqs(r.messages)).sort((a, b) => a - b);
      expect(all).toEqual(range(1, 1000));
      const session = await ctx.service.getSession(s.id);
      expect(session).toMatchObject({ messageCount: 1000, lastSeq: 1000 });
      const read: Message[] = [];
      for (let after = 0; after < 1000; after += 100) {
        read.push(...(await ctx.service.history(s.id, { first: 100, after: String(after) })).edges.map((e) => e.node));
      }
      expect(seqs(read)).toEqual(range(1, 1000));
    });

    it('stores nothing twice when a call is retried with the same clientIds, and returns the stored messages', async () => {
      const s = await ctx.service.createSession({});
      const batch = messages(3, 'r').map((m, i) => ({ ...m, clientId: `client-${i}` }));
      const first = await ctx.service.appendMessages(s.id, { messages: batch });
      const retry = await ctx.service.appendMessages(s.id, { messages: batch });
      expect(retry.messages).toEqual(first.messages);
      expect(retry.added).toEqual([]);
      expect(retry.session.messageCount).toBe(3);
      const partial = await ctx.service.appendMessages(s.id, { messages: [batch[1]!, { role: 'USER', content: 'new', clientId: 'client-9' }] });
      expect(partial.messages[0]).toEqual(first.messages[1]);
      expect(partial.added.map((m) => [m.seq, m.content])).toEqual([[4, 'new']]);
      expect((await ctx.service.getSession(s.id)).messageCount).toBe(4);
    });

    it('stores a message once when retries with the same clientId race', async () => {
      const s = await ctx.service.createSession({});
      const attempt = () => ctx.service.appendMessages(s.id, { messages: [{ role: 'USER', content: 'once', clientId: 'k' }] });
      const results = await Promise.all(range(1, 10).map(attempt));
      const ids = new Set(results.map((r) => r.messages[0]!.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.added.length === 1)).toHaveLength(1);
      expect((await ctx.service.getSession(s.id)).messageCount).toBe(1);
    });

    it('accepts a retry of stored messages even when its expectedSeq has gone stale', async () => {
      const s = await ctx.service.createSession({});
      const call = { messages: [{ role: 'USER' as const, content: 'x', clientId: 'once' }], expectedSeq: 0 };
      const first = await ctx.service.appendMessages(s.id, call);
      const retry = await ctx.service.appendMessages(s.id, call);
      expect(retry.messages).toEqual(first.messages);
    });

    it('rejects a stale expectedSeq and changes nothing', async () => {
      const s = await ctx.service.createSession({ messages: messages(2) });
      const ok = await ctx.service.appendMessages(s.id, { messages: messages(1), expectedSeq: 2 });
      expect(seqs(ok.messages)).toEqual([3]);
      const stale = ctx.service.appendMessages(s.id, { messages: messages(2, 'late'), expectedSeq: 2 });
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toMatchObject({ reason: 'SEQ_MISMATCH', expected: 2, actual: 3 });
      const session = await ctx.service.getSession(s.id);
      expect(session).toEqual(ok.session);
      const contents = (await ctx.service.history(s.id)).edges.map((e) => e.node.content);
      expect(contents).not.toContain('late-1');
    });

    it('lets exactly one of several appends with the same expectedSeq through', async () => {
      const s = await ctx.service.createSession({});
      const outcomes = await Promise.allSettled(range(1, 8).map(() => ctx.service.appendMessages(s.id, { messages: messages(1), expectedSeq: 0 })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect((await ctx.service.getSession(s.id)).messageCount).toBe(1);
    });

    it('rejects an append that would exceed maxMessagesPerSession, naming the limit, and stores none of it', async () => {
      const service = ctx.serviceWith({ maxMessagesPerSession: 5 });
      const s = await service.createSession({ messages: messages(3) });
      const over = service.appendMessages(s.id, { messages: messages(3) });
      await expect(over).rejects.toBeInstanceOf(LimitExceededError);
      await expect(over).rejects.toMatchObject({ limit: 'maxMessagesPerSession', violations: [{ max: 5, actual: 6 }] });
      expect((await service.getSession(s.id)).messageCount).toBe(3);
      await service.appendMessages(s.id, { messages: messages(2) });
      expect((await service.getSession(s.id)).messageCount).toBe(5);
    });

    it('keeps per-session counters: messages by role, exchanges, first and last message time', async () => {
      const s = await ctx.service.createSession({ messages: [{ role: 'SYSTEM', content: 's' }, { role: 'USER', content: 'q1' }] });
      await ctx.service.appendMessages(s.id, { messages: [{ role: 'ASSISTANT', content: 'a1' }, { role: 'TOOL', content: 't' }] });
      await ctx.service.appendMessages(s.id, { messages: [{ role: 'ASSISTANT', content: 'a1b' }, { role: 'USER', content: 'q2' }] });
      const { session } = await ctx.service.appendMessages(s.id, { messages: [{ role: 'ASSISTANT', content: 'a2' }] });
      const stats = ctx.service.sessionStats(session);
      expect(stats).toMatchObject({
        messageCount: 7,
        exchangeCount: 2,
        messagesByRole: { SYSTEM: 1, USER: 2, ASSISTANT: 3, TOOL: 1 },
        preview: 'q1',
      });
      expect(stats.firstMessageAt).toEqual(s.createdAt);
      expect(stats.lastMessageAt).toEqual(session.updatedAt);
      expect(stats.durationMs).toBe(session.updatedAt.getTime() - s.createdAt.getTime());
    });

    it('measures a session from its earliest to its latest message, never negatively, whatever their order', async () => {
      const at = (iso: string) => new Date(iso);
      const backwards = await ctx.service.importSession({
        messages: [
          { role: 'user', content: 'q', timestamp: '2026-05-01T10:00:00.000Z' },
          { role: 'assistant', content: 'a', timestamp: '2026-05-01T09:00:00.000Z' },
          { role: 'user', content: 'q2', timestamp: '2026-05-01T09:30:00.000Z' },
        ],
      });
      expect(ctx.service.sessionStats(backwards)).toMatchObject({
        firstMessageAt: at('2026-05-01T09:00:00.000Z'),
        lastMessageAt: at('2026-05-01T10:00:00.000Z'),
        durationMs: 3_600_000,
      });
      expect(backwards.lastMessageAt).toEqual(at('2026-05-01T10:00:00.000Z'));

      // Appends are stamped by the server's clock (here early 2026): earlier than imported messages from the future.
      const single = await ctx.service.importSession([{ role: 'user', content: 'x' }]);
      const ahead = await ctx.service.importSession({
        messages: [
          { role: 'user', content: 'q', timestamp: '2030-01-01T00:00:00.000Z' },
          { role: 'assistant', content: 'a', timestamp: '2030-01-01T00:00:05.000Z' },
        ],
      });
      const { session } = await ctx.service.appendMessages(ahead.id, { messages: messages(1) });
      const appendedAt = (await ctx.service.history(ahead.id, { last: 1 })).edges[0]?.node.createdAt as Date;
      expect(appendedAt.getTime()).toBeLessThan(Date.parse('2030-01-01T00:00:00.000Z'));
      const stats = ctx.service.sessionStats(session);
      expect(stats.firstMessageAt).toEqual(appendedAt);
      expect(stats.lastMessageAt).toEqual(at('2030-01-01T00:00:05.000Z'));
      expect(stats.durationMs).toBe(Date.parse('2030-01-01T00:00:05.000Z') - appendedAt.getTime());
      expect(ctx.service.sessionStats(single).durationMs).toBe(0);
    });
  });

  historyContract(ctx);
}

function historyContract(ctx: ContractContext) {
  const contents = (page: { edges: { node: Message }[] }) => page.edges.map((e) => e.node.content);

  describe('history', () => {
    it('returns the latest page by default, oldest first within the page', async () => {
      const s = await ctx.service.createSession({ messages: messages(30) });
      const page = await ctx.service.history(s.id);
      expect(seqs(page.edges.map((e) => e.node))).toEqual(range(11, 30));
      expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: '11', endCursor: '30' });
      expect(page.totalCount).toBe(30);
    });

    it('pages backwards with last/before and forwards with first/after', async () => {
      const s = await ctx.service.createSession({ messages: messages(10) });
      const back = await ctx.service.history(s.id, { last: 3, before: '5' });
      expect(seqs(back.edges.map((e) => e.node))).toEqual([2, 3, 4]);
      expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
      const start = await ctx.service.history(s.id, { last: 3, before: '3' });
      expect(seqs(start.edges.map((e) => e.node))).toEqual([1, 2]);
      expect(start.pageInfo.hasPreviousPage).toBe(false);
      const fwd = await ctx.service.history(s.id, { first: 4, after: '6' });
      expect(seqs(fwd.edges.map((e) => e.node))).toEqual([7, 8, 9, 10]);
      expect(fwd.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const first = await ctx.service.history(s.id, { first: 2 });
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const between = await ctx.service.history(s.id, { first: 10, after: '2', before: '6' });
      expect(seqs(between.edges.map((e) => e.node))).toEqual([3, 4, 5]);
    });

    it('filters by role, with totalCount counting the matching messages', async () => {
      const s = await ctx.service.createSession({
        messages: [
          { role: 'SYSTEM', content: 's' },
          ...messages(8),
          { role: 'TOOL', content: 't1' },
          { role: 'TOOL', content: 't2' },
        ],
      });
      const users = await ctx.service.history(s.id, { first: 3, roles: ['USER'] });
      expect(contents(users)).toEqual(['m-1', 'm-3', 'm-5']);
      expect(users.totalCount).toBe(4);
      const next = await ctx.service.history(s.id, { first: 3, after: users.pageInfo.endCursor, roles: ['USER'] });
      expect(contents(next)).toEqual(['m-7']);
      expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const mixed = await ctx.service.history(s.id, { last: 3, roles: ['SYSTEM', 'TOOL'] });
      expect(contents(mixed)).toEqual(['s', 't1', 't2']);
      expect(mixed.pageInfo.hasPreviousPage).toBe(false);
      const everyone = await ctx.service.history(s.id, { last: 2, roles: ['SYSTEM', 'USER', 'ASSISTANT', 'TOOL'] });
      expect(contents(everyone)).toEqual(['t1', 't2']);
    });

    it('stays stable while messages are appended between page reads, backwards', async () => {
      const s = await ctx.service.createSession({ messages: messages(25) });
      const seen: number[] = [];
      let page = await ctx.service.history(s.id, { last: 10 });
      for (;;) {
        seen.unshift(...seqs(page.edges.map((e) => e.node)));
        await ctx.service.appendMessages(s.id, { messages: messages(7, 'late') });
        if (!page.pageInfo.hasPreviousPage) break;
        page = await ctx.service.history(s.id, { last: 10, before: page.pageInfo.startCursor });
      }
      expect(seen).toEqual(range(1, 25));
    });

    it('stays stable while messages are appended between page reads, forwards', async () => {
      const s = await ctx.service.createSession({ messages: messages(12) });
      const seen: number[] = [];
      let page = await ctx.service.history(s.id, { first: 5 });
      for (let round = 0; ; round++) {
        seen.push(...seqs(page.edges.map((e) => e.node)));
        if (round < 3) await ctx.service.appendMessages(s.id, { messages: messages(3, 'late') });
        if (!page.pageInfo.hasNextPage) break;
        page = await ctx.service.history(s.id, { first: 5, after: page.pageInfo.endCursor });
      }
      expect(seen).toEqual(range(1, 21));
    });

    it('rejects first and last together, and cursors that are not seqs', async () => {
      const s = await ctx.service.createSession({ messages: messages(3) });
      await expect(ctx.service.history(s.id, { first: 1, last: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      for (const cursor of ['abc', '-1', '1.5', '', '99999999999999999999']) {
        await expect(ctx.service.history(s.id, { after: cursor })).rejects.toMatchObject({ problems: [{ path: ['after'] }] });
      }
    });

    it('gives model-ready messages: the system prompt first, then the last N messages', async () => {
      const s = await ctx.service.createSession({ systemPrompt: 'Be brief.', messages: messages(4) });
      await ctx.service.appendMessages(s.id, {
        messages: [{ role: 'TOOL', content: '42', name: 'calc', metadata: { tool_call_id: 'call_1' } }],
      });
      expect(await ctx.service.modelMessages(s.id, { lastN: 2 })).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'assistant', content: 'm-4' },
        { role: 'tool', content: '42', name: 'calc', tool_call_id: 'call_1' },
      ]);
      expect(await ctx.service.modelMessages(s.id)).toHaveLength(6);
    });
  });
}
