import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { scopeService } from '../../src/core/service/scoped.js';
import { messages, type ContractContext } from './harness.js';

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));

export function exchangeContract(ctx: ContractContext) {
  const history = async (id: string) => (await ctx.service.history(id, { first: 100 })).edges.map((e) => e.node);

  describe('import and export', () => {
    it('imports an SDK session file, keeping its id, times, context and metadata', async () => {
      const session = await ctx.service.importSession(fixture('sdk-session.json'));
      expect(session).toMatchObject({
        id: '5f3e9a7b-6c1d-4d8e-9e7a-9b8c7d6e5f4a',
        title: 'Installer trouble',
        createdAt: new Date('2026-03-02T09:14:05.120Z'),
        updatedAt: new Date('2026-03-02T09:19:41.902Z'),
        context: { user_id: 'user_4411', product: 'desktop-client' },
        metadata: { category: 'technical_support', priority: 'medium', status: 'active' },
        messageCount: 3,
        exchangeCount: 1,
        preview: 'The installer stops at 80% on my laptop.',
      });
      const stored = await history(session.id);
      expect(stored.map((m) => [m.seq, m.role, m.clientId, m.createdAt.toISOString()])).toEqual([
        [1, 'USER', 'msg_1', '2026-03-02T09:14:05.120Z'],
        [2, 'ASSISTANT', 'msg_2', '2026-03-02T09:14:07.455Z'],
        [3, 'USER', 'msg_3', '2026-03-02T09:19:41.902Z'],
      ]);
      expect(await ctx.service.exportSession(session.id, 'SDK')).toEqual(fixture('sdk-session.json'));
    });

    it('imports a bare chat message list as a new session', async () => {
      const session = await ctx.service.importSession(fixture('chat-messages.json'), { ownerId: 'bob' });
      expect(session).toMatchObject({ ownerId: 'bob', messageCount: 4, messagesByRole: { SYSTEM: 1, USER: 2, ASSISTANT: 1, TOOL: 0 } });
      expect((await history(session.id)).map((m) => m.content)).toEqual(
        (fixture('chat-messages.json') as { content: string }[]).map((m) => m.content),
      );
      expect(await ctx.service.exportSession(session.id, 'CHAT_MESSAGES')).toEqual(fixture('chat-messages.json'));
    });

    it('keeps tool calls of a chat list in message metadata and gives them back', async () => {
      const list = [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
        { role: 'tool', content: 'sunny', tool_call_id: 'c1' },
        { role: 'assistant', content: [{ type: 'text', text: 'It is' }, { type: 'text', text: 'sunny.' }] },
      ];
      const session = await ctx.service.importSession(list);
      const exported = await ctx.service.exportSession(session.id, 'CHAT_MESSAGES');
      expect(exported).toEqual([...list.slice(0, 3), { role: 'assistant', content: 'It is\nsunny.' }]);
    });

    it('exports a Parley document that imports back to an equal session', async () => {
      await ctx.service.upsertUser({ id: 'carol-persona', name: 'Carol, as a customer' });
      const original = await ctx.service.createSession({
        ownerId: 'carol',
        personaId: 'carol-persona',
        title: 'Round trip',
        model: 'm',
        systemPrompt: 'p',
        context: { deep: { list: [1, 'two', null, true] } },
        metadata: { category: 'support' },
        messages: [...messages(3), { role: 'TOOL', content: 'out', name: 'search', metadata: { tool_call_id: 'x' }, clientId: 'cid' }],
      });
      await ctx.service.updateSession(original.id, { title: 'Round trip 2' });
      const doc = await ctx.service.exportSession(original.id);
      expect(doc).toMatchObject({ format: 'parley.session', version: 1, session: { id: original.id, personaId: 'carol-persona' } });
      await expect(ctx.service.importSession(doc)).rejects.toBeInstanceOf(ConflictError);

      const copy = await ctx.service.importSession(doc, { newId: 'imported-copy' });
      const source = await ctx.service.getSession(original.id);
      expect({ ...copy, id: source.id, expiresAt: null }).toEqual(source);
      const [a, b] = [await history(original.id), await history(copy.id)];
      expect(b.map(({ id: _id, sessionId: _s, ...m }) => m)).toEqual(a.map(({ id: _id, sessionId: _s, ...m }) => m));

      await ctx.service.deleteSession(original.id);
      const restored = await ctx.service.importSession(doc);
      expect(restored).toEqual(source);
      expect(await history(original.id)).toEqual(a);
      const again = (await ctx.service.exportSession(original.id)) as { exportedAt: string };
      expect({ ...again, exportedAt: null }).toEqual({ ...(doc as object), exportedAt: null });
    });

    it('leaves the persona behind when the session is imported for another owner, or its profile is not here', async () => {
      await ctx.service.upsertUser({ id: 'dave-persona', name: 'Dave, as a customer' });
      const original = await ctx.service.createSession({ ownerId: 'dave', personaId: 'dave-persona', title: 'Persona' });
      const doc = (await ctx.service.exportSession(original.id)) as { session: Record<string, unknown> };
      expect((await ctx.service.importSession(doc, { newId: 'persona-same-owner' })).personaId).toBe('dave-persona');
      expect((await ctx.service.importSession(doc, { newId: 'persona-other-owner', ownerId: 'erin' })).personaId).toBeNull();
      const elsewhere = { ...doc, session: { ...doc.session, personaId: 'not-a-profile-here' } };
      expect((await ctx.service.importSession(elsewhere, { newId: 'persona-missing' })).personaId).toBeNull();
      // A document exported before personas were carries none.
      const { personaId: _absent, ...older } = doc.session;
      expect((await ctx.service.importSession({ ...doc, session: older }, { newId: 'persona-older' })).personaId).toBeNull();
    });

    it("keeps a caller's persona on import only when it is the caller's own profile", async () => {
      const frank = scopeService(ctx.service, { admin: false, ownerId: 'frank' });
      await frank.upsertUser({ name: 'Frank' });
      await ctx.service.upsertUser({ id: 'someone-else', name: 'Someone else' });
      const own = await frank.createSession({ personaId: 'frank', title: 'Own persona' });
      const doc = (await frank.exportSession(own.id)) as { session: Record<string, unknown> };
      expect((await frank.importSession(doc)).personaId).toBe('frank');
      // A document naming another profile (written by hand: frank could not have exported it).
      const theirs = { ...doc, session: { ...doc.session, personaId: 'someone-else' } };
      expect((await frank.importSession(theirs)).personaId).toBeNull();
    });

    it('validates the whole document first, reports every problem with its path and writes nothing', async () => {
      const bad = {
        format: 'parley.session',
        version: 1,
        session: { id: 'x', title: 7 },
        messages: [
          { id: 'm1', seq: 2, role: 'user', content: 'a', name: null, metadata: {}, createdAt: '2026-01-01T00:00:00Z', clientId: null },
          { id: 'm1', seq: 1, role: 'robot', content: 'b', name: null, metadata: {}, createdAt: 'yesterday', clientId: null },
        ],
      };
      const attempt = ctx.service.importSession(bad);
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      const paths = ((await attempt.catch((e: ValidationError) => e)) as ValidationError).problems.map((p) => p.path.join('.'));
      expect(paths).toEqual(
        expect.arrayContaining(['document.session.title', 'document.session.ownerId', 'document.session.createdAt', 'document.messages.1.role', 'document.messages.1.createdAt']),
      );
      const sdkBad = { messages: [{ role: 'user', content: 5, timestamp: 'never' }, { id: 'a' }], extra: true };
      const sdkError = (await ctx.service.importSession(sdkBad).catch((e: unknown) => e)) as ValidationError;
      expect(sdkError.problems.map((p) => p.path.join('.'))).toEqual(
        expect.arrayContaining(['document.messages.0.content', 'document.messages.0.timestamp', 'document.messages.1.role', 'document.messages.1.content', 'document.extra']),
      );
      for (const doc of [42, null, 'text', {}, { format: 'other' }, [], [{ role: 'user' }]]) {
        await expect(ctx.service.importSession(doc)).rejects.toBeInstanceOf(ValidationError);
      }
      expect(await ctx.service.countSessions()).toBe(0);
    });

    it('refuses numbers and dates the API could not return, with their paths, and writes nothing', async () => {
      const doc = (session: Record<string, unknown>, ...list: Record<string, unknown>[]) => ({
        format: 'parley.session',
        version: 1,
        session: {
          id: 'big', ownerId: null, title: null, model: null, systemPrompt: null, context: {}, metadata: {},
          createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1, forkedFrom: null, mergedFrom: [],
          ...session,
        },
        messages: list.map((m, i) => ({ id: `m${i}`, seq: i + 1, role: 'user', content: 'x', name: null, metadata: {}, createdAt: '2026-01-01T00:00:00Z', clientId: null, ...m })),
      });
      const problemPaths = async (document: unknown) => {
        const error = await ctx.service.importSession(document).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).problems.map((p) => p.path.join('.')).sort();
      };
      const over = 2 ** 31;
      expect(await problemPaths(doc({ version: over, forkedFrom: { sessionId: 'a', seq: over } }, { seq: over }))).toEqual([
        'document.messages.0.seq',
        'document.session.forkedFrom.seq',
        'document.session.version',
      ]);
      // A version near the top would overflow after a few changes, a seq after a few appends.
      expect(await problemPaths(doc({ version: 2 ** 31 - 1 }))).toEqual(['document.session.version']);
      expect(await problemPaths(doc({}, { seq: 2 ** 31 - 1 }))).toEqual(['document.messages.0.seq']);
      expect(await problemPaths(doc({ createdAt: '9999-12-31T23:30:00-01:00' }, { createdAt: '0000-01-01T00:30:00+01:00' }))).toEqual([
        'document.messages.0.createdAt',
        'document.session.createdAt',
      ]);
      expect(await problemPaths({ messages: [{ role: 'user', content: 'x', timestamp: '9999-12-31T23:00:00-05:00' }] })).toEqual(['document.messages.0.timestamp']);
      expect(await ctx.service.countSessions()).toBe(0);
      await expect(ctx.service.getSession('big')).rejects.toBeInstanceOf(NotFoundError);

      // At the edge: the largest seq that leaves room for the session to fill up, the largest date.
      const service = ctx.serviceWith({ maxMessagesPerSession: 3 });
      const edge = await service.importSession(doc({ updatedAt: '9999-12-31T23:59:59.999Z', version: 2 ** 30 }, { seq: 2 ** 31 - 3 }));
      expect(edge).toMatchObject({ lastSeq: 2 ** 31 - 3, version: 2 ** 30, updatedAt: new Date('9999-12-31T23:59:59.999Z') });
      const { session } = await service.appendMessages('big', { messages: messages(2) });
      expect(session.lastSeq).toBe(2 ** 31 - 1);
      await expect(service.appendMessages('big', { messages: messages(1) })).rejects.toMatchObject({ limit: 'maxMessagesPerSession' });
      await expect(service.importSession(doc({ id: 'big2' }, { seq: 2 ** 31 - 2 }))).rejects.toBeInstanceOf(ValidationError);
    });

    it('refuses counters beyond a 32-bit Int in direct calls too', async () => {
      const s = await ctx.service.createSession({ messages: messages(1) });
      const over = 2 ** 31;
      await expect(ctx.service.appendMessages(s.id, { messages: messages(1), expectedSeq: over })).rejects.toBeInstanceOf(ValidationError);
      await expect(ctx.service.updateSession(s.id, { title: 't', expectedVersion: over })).rejects.toBeInstanceOf(ValidationError);
      await expect(ctx.service.copySession(s.id, { upToSeq: over })).rejects.toBeInstanceOf(ValidationError);
      expect(await ctx.service.getSession(s.id)).toMatchObject({ lastSeq: 1, version: 1, title: null });
      expect(await ctx.service.countSessions()).toBe(1);
    });

    it('applies the limits to imported documents', async () => {
      const service = ctx.serviceWith({ maxMessagesPerSession: 2, maxContentLength: 10 });
      const tooMany = service.importSession([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'user', content: 'c' }]);
      await expect(tooMany).rejects.toBeInstanceOf(LimitExceededError);
      await expect(tooMany).rejects.toMatchObject({ limit: 'maxMessagesPerSession' });
      const tooLong = service.importSession([{ role: 'user', content: 'x'.repeat(11) }]);
      await expect(tooLong).rejects.toMatchObject({ limit: 'maxContentLength', violations: [{ path: ['document', 0, 'content'] }] });
      expect(await service.countSessions()).toBe(0);
    });
  });
}
