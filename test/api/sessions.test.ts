import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { CreateSession, DeleteSession, GetSession, ListSessions, UpdateSession } from './operations.js';

describe('sessions over GraphQL', () => {
  it('creates a session and reads it back with its stats', async () => {
    const { run } = createTestClient();
    const created = as(
      (
        await run(CreateSession, {
          input: {
            id: 'welcome',
            ownerId: 'ada',
            title: 'Welcome',
            systemPrompt: 'Be kind.',
            context: { plan: 'pro' },
            metadata: { category: 'support' },
            messages: [
              { role: 'USER', content: 'Hi there' },
              { role: 'ASSISTANT', content: 'Hello!' },
            ],
          },
        })
      ).createSession,
      'Session',
    );
    expect(created).toMatchObject({ id: 'welcome', messageCount: 2, lastSeq: 2, version: 1, preview: 'Hi there', context: { plan: 'pro' } });
    expect(Date.parse(created.createdAt)).not.toBeNaN();
    const { session } = await run(GetSession, { id: 'welcome' });
    expect(session).toMatchObject({
      id: 'welcome',
      owner: null,
      forkedFrom: null,
      stats: { messageCount: 2, exchangeCount: 1, messagesByRole: { system: 0, user: 1, assistant: 1, tool: 0 } },
    });
    expect((await run(GetSession, { id: 'nope' })).session).toBeNull();
  });

  it('returns every problem of a bad input as a ValidationError, paths starting at the argument', async () => {
    const { run } = createTestClient();
    const result = await run(CreateSession, {
      input: { id: 'no spaces', metadata: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }, messages: [{ role: 'USER', content: 'ok', clientId: '' }] },
    });
    const error = as(result.createSession, 'ValidationError');
    expect(error.problems.map((p) => [p.path.join('.'), p.limit])).toEqual(
      expect.arrayContaining([
        ['input.id', null],
        ['input.messages.0.clientId', null],
        ['input.metadata.a.b.c.d.e.f.g.h', 'MAX_JSON_DEPTH'],
      ]),
    );
    expect(error.problems).toHaveLength(3);
    expect((await run(ListSessions, {})).sessions).toMatchObject({ totalCount: 0 });
  });

  it('names the limit in a LimitExceededError', async () => {
    const { run } = createTestClient({ limits: { maxTitleLength: 5 } });
    const error = as((await run(CreateSession, { input: { title: 'Much too long' } })).createSession, 'LimitExceededError');
    expect(error).toMatchObject({ limit: 'MAX_TITLE_LENGTH', violations: [{ limit: 'MAX_TITLE_LENGTH', max: 5, actual: 13, path: ['input', 'title'] }] });
  });

  it('reports a taken id as a ConflictError', async () => {
    const { run } = createTestClient();
    await run(CreateSession, { input: { id: 'same' } });
    expect(as((await run(CreateSession, { input: { id: 'same' } })).createSession, 'ConflictError').reason).toBe('ID_TAKEN');
  });

  it('lists, filters and pages sessions with a totalCount', async () => {
    const { run } = createTestClient();
    for (let i = 1; i <= 5; i++) {
      await run(CreateSession, { input: { id: `s${i}`, ownerId: i % 2 ? 'odd' : 'even', metadata: { n: i }, title: `Chat ${i}` } });
    }
    const first = as((await run(ListSessions, { first: 2, filter: { ownerId: 'odd' } })).sessions, 'SessionConnection');
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e) => e.node.id)).toEqual(['s5', 's3']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = as((await run(ListSessions, { first: 2, after: first.pageInfo.endCursor, filter: { ownerId: 'odd' } })).sessions, 'SessionConnection');
    expect(rest.edges.map((e) => e.node.id)).toEqual(['s1']);
    const byMeta = as((await run(ListSessions, { filter: { metadata: { n: 4 } } })).sessions, 'SessionConnection');
    expect(byMeta.edges.map((e) => e.node.id)).toEqual(['s4']);
    const oldest = as((await run(ListSessions, { first: 1, orderBy: { field: 'CREATED_AT', direction: 'ASC' } })).sessions, 'SessionConnection');
    expect(oldest.edges.map((e) => e.node.id)).toEqual(['s1']);
  });

  it('rejects a forged cursor and an oversized page with typed errors', async () => {
    const { run } = createTestClient();
    expect(as((await run(ListSessions, { after: 'forged' })).sessions, 'ValidationError').problems[0]?.path).toEqual(['after']);
    expect(as((await run(ListSessions, { first: 1000 })).sessions, 'LimitExceededError').violations[0]).toMatchObject({ max: 100, actual: 1000 });
  });

  it('updates with MERGE by default, guards with expectedVersion and reports a missing session', async () => {
    const { run } = createTestClient();
    await run(CreateSession, { input: { id: 's', metadata: { a: 1, b: 2 } } });
    const merged = as((await run(UpdateSession, { id: 's', input: { title: 'T', metadata: { b: null, c: 3 } } })).updateSession, 'Session');
    expect(merged).toMatchObject({ title: 'T', metadata: { a: 1, c: 3 }, version: 2 });
    const replaced = as((await run(UpdateSession, { id: 's', input: { mode: 'REPLACE', metadata: { z: 0 }, expectedVersion: 2 } })).updateSession, 'Session');
    expect(replaced).toMatchObject({ metadata: { z: 0 }, version: 3 });
    const stale = as((await run(UpdateSession, { id: 's', input: { title: 'late', expectedVersion: 2 } })).updateSession, 'ConflictError');
    expect(stale).toEqual({ __typename: 'ConflictError', reason: 'VERSION_MISMATCH', expected: 2, actual: 3 });
    const missing = as((await run(UpdateSession, { id: 'gone', input: { title: 'x' } })).updateSession, 'NotFoundError');
    expect(missing).toMatchObject({ entity: 'Session', entityId: 'gone' });
    const bad = as((await run(UpdateSession, { id: 's', input: { expectedVersion: 0 } })).updateSession, 'ValidationError');
    expect(bad.problems[0]?.path).toEqual(['input', 'expectedVersion']);
  });

  it('deletes a session and says so, or that it was not found', async () => {
    const { run } = createTestClient();
    await run(CreateSession, { input: { id: 'd', messages: [{ role: 'USER', content: 'x' }] } });
    expect((await run(DeleteSession, { id: 'd' })).deleteSession).toEqual({ __typename: 'DeletedSession', id: 'd', messageCount: 1 });
    expect((await run(DeleteSession, { id: 'd' })).deleteSession).toEqual({ __typename: 'NotFoundError', entity: 'Session', entityId: 'd' });
    expect((await run(GetSession, { id: 'd' })).session).toBeNull();
  });
});
