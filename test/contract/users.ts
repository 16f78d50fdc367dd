import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/core/errors.js';
import { messages, range, type ContractContext } from './harness.js';

export function userContract(ctx: ContractContext) {
  describe('users', () => {
    it('creates a user, then replaces its profile on the next upsert, keeping createdAt', async () => {
      const first = await ctx.service.upsertUser({ id: 'u1', name: 'Ada', profile: 'Likes math', metadata: { tier: 'gold' } });
      expect(first.created).toBe(true);
      const second = await ctx.service.upsertUser({ id: 'u1', name: 'Ada L.' });
      expect(second.created).toBe(false);
      expect(second.user).toMatchObject({ id: 'u1', name: 'Ada L.', profile: null, metadata: {}, createdAt: first.user.createdAt });
      expect(second.user.updatedAt.getTime()).toBeGreaterThan(first.user.updatedAt.getTime());
      expect(await ctx.service.getUser('u1')).toEqual(second.user);
      expect(await ctx.storage.getUsers(['x', 'u1'])).toEqual([null, second.user]);
    });

    it('lists users by id, page by page', async () => {
      for (const i of [3, 1, 2, 5, 4]) await ctx.service.upsertUser({ id: `user-${i}`, name: `N${i}` });
      const first = await ctx.service.listUsers({ first: 2 });
      expect(first.edges.map((e) => e.node.id)).toEqual(['user-1', 'user-2']);
      const rest = await ctx.service.listUsers({ first: 10, after: first.pageInfo.endCursor });
      expect(rest.edges.map((e) => e.node.id)).toEqual(['user-3', 'user-4', 'user-5']);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      expect(await ctx.service.countUsers()).toBe(5);
    });

    it('counts the sessions of several owners in one call, in the order asked, as countSessions counts each', async () => {
      for (const owner of ['ann', 'ann', 'ann', 'bob']) await ctx.service.createSession({ ownerId: owner });
      await ctx.service.createSession({});
      const ids = ['bob', 'nobody', 'ann', 'bob'];
      const counts = await ctx.storage.countSessionsByOwner(ids);
      expect(counts).toEqual([1, 0, 3, 1]);
      expect(counts).toEqual(await Promise.all(ids.map((ownerId) => ctx.storage.countSessions({ ownerId }))));
      expect(await ctx.storage.countSessionsByOwner([])).toEqual([]);
      const [deleted] = (await ctx.service.listSessions({ filter: { ownerId: 'ann' } })).edges;
      await ctx.service.deleteSession(deleted!.node.id);
      expect(await ctx.service.countSessionsByOwner(['ann', 'bob'])).toEqual([2, 1]);
    });

    it('deletes a user with every session it owns and nothing else', async () => {
      await ctx.service.upsertUser({ id: 'owner', name: 'O' });
      for (const i of range(1, 3)) await ctx.service.createSession({ id: `mine-${i}`, ownerId: 'owner', messages: messages(2) });
      await ctx.service.createSession({ id: 'theirs', ownerId: 'other' });
      expect(await ctx.service.deleteUser('owner')).toEqual({ deletedSessions: 3 });
      expect(await ctx.storage.getUser('owner')).toBeNull();
      expect(await ctx.storage.getSessions(['mine-1', 'mine-2', 'mine-3', 'theirs'])).toEqual([null, null, null, expect.anything()]);
      expect(await ctx.storage.listMessages('mine-1', { direction: 'ASC', limit: 10 })).toEqual([]);
      await expect(ctx.service.deleteUser('owner')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('stats', () => {
    it('totals sessions, messages by role, exchanges and users, narrowed by a filter', async () => {
      await ctx.service.upsertUser({ id: 'u', name: 'U' });
      await ctx.service.createSession({ ownerId: 'u', metadata: { kind: 'a' }, messages: messages(4) });
      await ctx.service.createSession({ ownerId: 'u', messages: [{ role: 'SYSTEM', content: 's' }, ...messages(1)] });
      await ctx.service.createSession({ ownerId: 'v', metadata: { kind: 'a' }, messages: [{ role: 'TOOL', content: 't' }] });
      expect(await ctx.service.stats()).toEqual({
        sessionCount: 3,
        messageCount: 7,
        userCount: 1,
        exchangeCount: 2,
        messagesByRole: { SYSTEM: 1, USER: 3, ASSISTANT: 2, TOOL: 1 },
      });
      expect(await ctx.service.stats({ ownerId: 'u' })).toMatchObject({ sessionCount: 2, messageCount: 6 });
      expect(await ctx.service.stats({ metadata: { kind: 'a' } })).toMatchObject({ sessionCount: 2, messageCount: 5, exchangeCount: 2 });
      expect(await ctx.service.stats({ ownerId: 'nobody' })).toMatchObject({ sessionCount: 0, messageCount: 0 });
    });
  });
}
