import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { CreateSession, DeleteUser, GetUser, ListUsers, Stats, UpsertUser } from './operations.js';

describe('users and stats over GraphQL', () => {
  it('upserts a user, lists its sessions, and deletes it with them', async () => {
    const { run } = createTestClient();
    const created = as((await run(UpsertUser, { input: { id: 'ada', name: 'Ada', profile: 'Mathematician' } })).upsertUser, 'UpsertUserPayload');
    expect(created).toMatchObject({ created: true, user: { id: 'ada', name: 'Ada', profile: 'Mathematician', metadata: {} } });
    const updated = as((await run(UpsertUser, { input: { id: 'ada', name: 'Ada L.' } })).upsertUser, 'UpsertUserPayload');
    expect(updated).toMatchObject({ created: false, user: { name: 'Ada L.', profile: null, createdAt: created.user.createdAt } });
    await run(CreateSession, { input: { id: 's1', ownerId: 'ada' } });
    await run(CreateSession, { input: { id: 's2', ownerId: 'ada' } });
    await run(CreateSession, { input: { id: 'other', ownerId: 'bob' } });
    expect((await run(GetUser, { id: 'ada' })).user).toMatchObject({ name: 'Ada L.', sessions: { totalCount: 2, edges: [{ node: { id: 's2' } }, { node: { id: 's1' } }] } });
    expect((await run(DeleteUser, { id: 'ada' })).deleteUser).toEqual({ __typename: 'DeleteUserPayload', id: 'ada', deletedSessionCount: 2 });
    expect((await run(DeleteUser, { id: 'ada' })).deleteUser).toEqual({ __typename: 'NotFoundError', entity: 'User', entityId: 'ada' });
    expect((await run(GetUser, { id: 'ada' })).user).toBeNull();
  });

  it('lists users by id and rejects a bad user input', async () => {
    const { run } = createTestClient();
    for (const id of ['c', 'a', 'b']) await run(UpsertUser, { input: { id, name: id.toUpperCase() } });
    const page = as((await run(ListUsers, { first: 2 })).users, 'UserConnection');
    expect(page).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, edges: [{ node: { id: 'a' } }, { node: { id: 'b' } }] });
    const next = as((await run(ListUsers, { after: page.pageInfo.endCursor })).users, 'UserConnection');
    expect(next.edges.map((e) => e.node.id)).toEqual(['c']);
    const bad = as((await run(UpsertUser, { input: { id: 'bad id', name: '' } })).upsertUser, 'ValidationError');
    expect(bad.problems.map((p) => p.path.join('.')).sort()).toEqual(['input.id', 'input.name']);
    expect(as((await run(ListUsers, { after: 'nonsense' })).users, 'ValidationError').problems[0]?.path).toEqual(['after']);
  });

  it('gives global stats, narrowed by a filter', async () => {
    const { run } = createTestClient();
    await run(UpsertUser, { input: { id: 'u', name: 'U' } });
    await run(CreateSession, { input: { ownerId: 'u', messages: [{ role: 'USER', content: 'q' }, { role: 'ASSISTANT', content: 'a' }] } });
    await run(CreateSession, { input: { ownerId: 'v', messages: [{ role: 'SYSTEM', content: 's' }] } });
    expect(as((await run(Stats, {})).stats, 'Stats')).toEqual({
      __typename: 'Stats',
      sessionCount: 2,
      messageCount: 3,
      userCount: 1,
      exchangeCount: 1,
      messagesByRole: { system: 1, user: 1, assistant: 1, tool: 0 },
    });
    expect(as((await run(Stats, { filter: { ownerId: 'v' } })).stats, 'Stats')).toMatchObject({ sessionCount: 1, messageCount: 1 });
    expect(as((await run(Stats, { filter: { metadata: { k: [1] } } })).stats, 'ValidationError').problems[0]?.path).toEqual(['filter', 'metadata', 'k']);
  });
});
