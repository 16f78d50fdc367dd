import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import type { Session } from '../../src/core/model.js';
import { messages, range, seqs, type ContractContext } from './harness.js';

export function sessionContract(ctx: ContractContext) {
  describe('sessions', () => {
    it('creates a session with a caller-chosen id and reads it back', async () => {
      const created = await ctx.service.createSession({
        id: 'support-42',
        ownerId: 'alice',
        title: 'Printer',
        model: 'gpt-x',
        systemPrompt: 'Be brief.',
        context: { customer: { id: 7 } },
        metadata: { category: 'support', tags: ['printer'] },
      });
      expect(await ctx.service.getSession('support-42')).toEqual(created);
      expect(created).toMatchObject({
        id: 'support-42',
        ownerId: 'alice',
        version: 1,
        messageCount: 0,
        lastSeq: 0,
        context: { customer: { id: 7 } },
        forkedFrom: null,
        mergedFrom: [],
      });
    });

    it('gives a session without an id a new UUID', async () => {
      const session = await ctx.service.createSession({});
      expect(session.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('rejects a taken id with ID_TAKEN and leaves the existing session as it was', async () => {
      const first = await ctx.service.createSession({ id: 'taken', title: 'first', messages: messages(2) });
      const attempt = ctx.service.createSession({ id: 'taken', title: 'second', messages: messages(3) });
      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject({ reason: 'ID_TAKEN' });
      expect(await ctx.service.getSession('taken')).toEqual(first);
      expect(seqs((await ctx.service.history('taken')).edges.map((e) => e.node))).toEqual([1, 2]);
    });

    it('stores initial messages with seqs 1..n and counts them', async () => {
      const session = await ctx.service.createSession({ messages: messages(5) });
      expect(session).toMatchObject({ messageCount: 5, lastSeq: 5, exchangeCount: 2, preview: 'm-1' });
      const page = await ctx.service.history(session.id, { first: 10 });
      expect(page.edges.map((e) => e.node.content)).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5']);
      expect(seqs(page.edges.map((e) => e.node))).toEqual(range(1, 5));
    });

    it('returns null for an unknown id and NotFoundError from writes on it', async () => {
      expect(await ctx.storage.getSession('nope')).toBeNull();
      await expect(ctx.service.getSession('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(ctx.service.updateSession('nope', { title: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(ctx.service.deleteSession('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(ctx.service.appendMessages('nope', { messages: messages(1) })).rejects.toBeInstanceOf(NotFoundError);
      expect(await ctx.storage.listMessages('nope', { direction: 'ASC', limit: 10 })).toEqual([]);
    });

    it('reads a batch of sessions in the order of the ids, with null for missing ones', async () => {
      const a = await ctx.service.createSession({ id: 'a' });
      const b = await ctx.service.createSession({ id: 'b' });
      expect(await ctx.storage.getSessions(['b', 'missing', 'a', 'b'])).toEqual([b, null, a, b]);
      expect(await ctx.storage.getSessions([])).toEqual([]);
    });

    it('hands out copies: mutating a result or an input never changes stored data', async () => {
      const metadata = { tags: ['a'] };
      const session = await ctx.service.createSession({ id: 'c', metadata, messages: messages(1, 'm', { metadata: { k: [1] } }) });
      metadata.tags.push('input-mutated');
      session.metadata.tags = ['result-mutated'];
      session.createdAt.setTime(0);
      session.messagesByRole.USER = 99;
      const [message] = (await ctx.service.history('c')).edges.map((e) => e.node);
      (message!.metadata.k as number[]).push(2);
      message!.createdAt.setTime(0);
      const stored = await ctx.service.getSession('c');
      expect(stored.metadata).toEqual({ tags: ['a'] });
      expect(stored.createdAt.getTime()).not.toBe(0);
      expect(stored.messagesByRole.USER).toBe(1);
      const [again] = (await ctx.service.history('c')).edges.map((e) => e.node);
      expect(again!.metadata).toEqual({ k: [1] });
      expect(again!.createdAt.getTime()).not.toBe(0);
    });

    describe('update', () => {
      it('merges metadata and context as a JSON merge patch by default, bumping version and updatedAt', async () => {
        const before = await ctx.service.createSession({ metadata: { a: 1, b: { c: 2, d: 3 } }, context: { x: 1 } });
        const after = await ctx.service.updateSession(before.id, { title: 'New', metadata: { b: { c: null, e: 4 }, f: 5 }, context: { y: 2 } });
        expect(after.metadata).toEqual({ a: 1, b: { d: 3, e: 4 }, f: 5 });
        expect(after.context).toEqual({ x: 1, y: 2 });
        expect(after.title).toBe('New');
        expect(after.version).toBe(2);
        expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
        expect(await ctx.service.getSession(before.id)).toEqual(after);
      });

      it('replaces metadata and context whole in REPLACE mode and clears fields set to null', async () => {
        const s = await ctx.service.createSession({ title: 'T', model: 'm', metadata: { a: 1 }, context: { x: 1 } });
        const after = await ctx.service.updateSession(s.id, { mode: 'REPLACE', metadata: { b: 2 }, context: {}, model: null });
        expect(after).toMatchObject({ title: 'T', model: null, metadata: { b: 2 }, context: {}, version: 2 });
      });

      it('rejects a stale expectedVersion and changes nothing', async () => {
        const s = await ctx.service.createSession({ title: 'original' });
        await ctx.service.updateSession(s.id, { title: 'second', expectedVersion: 1 });
        const stale = ctx.service.updateSession(s.id, { title: 'third', metadata: { x: 1 }, expectedVersion: 1 });
        await expect(stale).rejects.toMatchObject({ reason: 'VERSION_MISMATCH', expected: 1, actual: 2 });
        const stored = await ctx.service.getSession(s.id);
        expect(stored).toMatchObject({ title: 'second', version: 2, metadata: {} });
        const staleReplace = ctx.service.updateSession(s.id, { mode: 'REPLACE', title: 'x', expectedVersion: 1 });
        await expect(staleReplace).rejects.toBeInstanceOf(ConflictError);
        expect(await ctx.service.getSession(s.id)).toEqual(stored);
      });

      it('loses no key when concurrent MERGE updates race', async () => {
        const s = await ctx.service.createSession({});
        await Promise.all(range(1, 10).map((i) => ctx.service.updateSession(s.id, { metadata: { [`k${i}`]: i } })));
        const stored = await ctx.service.getSession(s.id);
        expect(stored.metadata).toEqual(Object.fromEntries(range(1, 10).map((i) => [`k${i}`, i])));
        expect(stored.version).toBe(11);
      });

      it('does not change version when messages are appended', async () => {
        const s = await ctx.service.createSession({});
        const { session } = await ctx.service.appendMessages(s.id, { messages: messages(2) });
        expect(session.version).toBe(1);
        expect(session.updatedAt.getTime()).toBeGreaterThan(s.updatedAt.getTime());
      });
    });

    it('deletes a session with all of its messages', async () => {
      const s = await ctx.service.createSession({ messages: messages(3) });
      const deleted = await ctx.service.deleteSession(s.id);
      expect(deleted.id).toBe(s.id);
      expect(await ctx.storage.getSession(s.id)).toBeNull();
      expect(await ctx.storage.listMessages(s.id, { direction: 'ASC', limit: 10 })).toEqual([]);
      await expect(ctx.service.history(s.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await ctx.storage.countSessions({})).toBe(0);
      const again = await ctx.service.createSession({ id: s.id });
      expect(again.messageCount).toBe(0);
    });

    listingContract(ctx);
  });
}

function listingContract(ctx: ContractContext) {
  /** Creates sessions s1..sN, each one clock step after the previous one. */
  async function seed(count: number, extra: (i: number) => Record<string, unknown> = () => ({})): Promise<Session[]> {
    const created = [];
    for (const i of range(1, count)) created.push(await ctx.service.createSession({ id: `s${i}`, ...extra(i) }));
    return created;
  }

  async function walk(args: Parameters<ContractContext['service']['listSessions']>[0], pageSize: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await ctx.service.listSessions({ ...args, first: pageSize, after });
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  describe('listing', () => {
    it('orders by updatedAt, newest first, by default', async () => {
      await seed(3);
      await ctx.service.updateSession('s1', { title: 'touched' });
      const page = await ctx.service.listSessions();
      expect(page.edges.map((e) => e.node.id)).toEqual(['s1', 's3', 's2']);
    });

    it('orders by createdAt in both directions', async () => {
      await seed(3);
      await ctx.service.updateSession('s1', { title: 'touched' });
      const asc = await ctx.service.listSessions({ orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
      const desc = await ctx.service.listSessions({ orderBy: { field: 'CREATED_AT', direction: 'DESC' } });
      expect(asc.edges.map((e) => e.node.id)).toEqual(['s1', 's2', 's3']);
      expect(desc.edges.map((e) => e.node.id)).toEqual(['s3', 's2', 's1']);
    });

    it('pages through every session exactly once with first/after, in every order', async () => {
      await seed(23);
      const expected = range(1, 23).map((i) => `s${i}`);
      expect(await walk({ orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, 5)).toEqual(expected);
      expect(await walk({ orderBy: { field: 'UPDATED_AT', direction: 'DESC' } }, 4)).toEqual([...expected].reverse());
      const second = await ctx.service.listSessions({ first: 5, after: (await ctx.service.listSessions({ first: 5 })).pageInfo.endCursor });
      expect(second.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    });

    it('counts the sessions matching a filter, whatever the page', async () => {
      await seed(6, (i) => ({ ownerId: i % 2 ? 'odd' : 'even' }));
      expect(await ctx.service.countSessions({})).toBe(6);
      expect(await ctx.service.countSessions({ ownerId: 'odd' })).toBe(3);
      expect(await ctx.service.countSessions({ ownerId: 'nobody' })).toBe(0);
      expect(await ctx.service.countSessions({ ownerId: 'even', metadata: { missing: 1 } })).toBe(0);
    });

    it('filters by owner, metadata key by key, title text and time ranges', async () => {
      await seed(6, (i) => ({
        ownerId: i <= 3 ? 'alice' : 'bob',
        title: i % 2 ? `Printer issue ${i}` : `Billing ${i}`,
        metadata: { category: i % 3 === 0 ? 'sales' : 'support', priority: i, tags: [`t${i}`, 'all'], open: i < 5 },
      }));
      const ids = async (filter: object) =>
        (await ctx.service.listSessions({ filter, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).edges.map((e) => e.node.id);
      expect(await ids({ ownerId: 'alice' })).toEqual(['s1', 's2', 's3']);
      expect(await ids({ metadata: { category: 'support' } })).toEqual(['s1', 's2', 's4', 's5']);
      expect(await ids({ metadata: { category: 'support', open: true } })).toEqual(['s1', 's2', 's4']);
      expect(await ids({ metadata: { priority: 6 } })).toEqual(['s6']);
      expect(await ids({ metadata: { tags: 't2' } })).toEqual(['s2']);
      expect(await ids({ metadata: { tags: 'all' }, ownerId: 'bob' })).toEqual(['s4', 's5', 's6']);
      expect(await ids({ metadata: { nope: null } })).toEqual([]);
      expect(await ids({ titleContains: 'printer' })).toEqual(['s1', 's3', 's5']);
      const s3 = await ctx.service.getSession('s3');
      expect(await ids({ createdAfter: s3.createdAt })).toEqual(['s4', 's5', 's6']);
      expect(await ids({ createdBefore: s3.createdAt, ownerId: 'alice' })).toEqual(['s1', 's2']);
      await ctx.service.updateSession('s2', { title: 'Billing again' });
      const s2 = await ctx.service.getSession('s2');
      expect(await ids({ updatedAfter: new Date(s2.updatedAt.getTime() - 1) })).toEqual(['s2']);
      expect(await ids({ updatedBefore: s2.updatedAt })).toEqual(['s1', 's3', 's4', 's5', 's6']);
    });

    it('carries a preview of the first user message on each listed session', async () => {
      await ctx.service.createSession({ messages: [{ role: 'SYSTEM', content: 'sys' }, { role: 'USER', content: '  Hello\n  there ' }] });
      const [edge] = (await ctx.service.listSessions()).edges;
      expect(edge!.node.preview).toBe('Hello there');
    });

    it('rejects a forged cursor and a cursor made for another order', async () => {
      await seed(3);
      const page = await ctx.service.listSessions({ first: 1 });
      const wrongOrder = ctx.service.listSessions({ after: page.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
      await expect(wrongOrder).rejects.toBeInstanceOf(ValidationError);
      for (const forged of ['abc', '!!!', Buffer.from('["s","UPDATED_AT","DESC","x",1]').toString('base64url')]) {
        await expect(ctx.service.listSessions({ after: forged })).rejects.toMatchObject({ problems: [{ path: ['after'] }] });
      }
    });
  });
}
