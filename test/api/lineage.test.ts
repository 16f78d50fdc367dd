import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { AppendMessages, CopySession, CreateSession, GetSession, MergeSessions } from './operations.js';

describe('copy and merge over GraphQL', () => {
  it('forks a session at a seq and links back to the source', async () => {
    const { run } = createTestClient();
    await run(CreateSession, {
      input: { id: 'src', title: 'Source', messages: ['a', 'b', 'c'].map((content) => ({ role: 'USER' as const, content })) },
    });
    const fork = as((await run(CopySession, { id: 'src', upToSeq: 2, newId: 'fork', title: 'Retry' })).copySession, 'Session');
    expect(fork).toEqual({
      __typename: 'Session',
      id: 'fork',
      title: 'Retry',
      messageCount: 2,
      forkedFrom: { sessionId: 'src', seq: 2, session: { id: 'src' } },
    });
    expect((await run(GetSession, { id: 'src' })).session?.messageCount).toBe(3);
    expect(as((await run(CopySession, { id: 'gone' })).copySession, 'NotFoundError').entityId).toBe('gone');
    expect(as((await run(CopySession, { id: 'src', upToSeq: 9 })).copySession, 'ValidationError').problems[0]?.path).toEqual(['upToSeq']);
    expect(as((await run(CopySession, { id: 'src', newId: 'fork' })).copySession, 'ConflictError').reason).toBe('ID_TAKEN');
  });

  it('merges sessions in the order given and chronologically', async () => {
    const { run } = createTestClient();
    await run(CreateSession, { input: { id: 'a', metadata: { k: 'a' }, messages: [{ role: 'USER', content: 'a1' }] } });
    await run(CreateSession, { input: { id: 'b', metadata: { k: 'b' }, messages: [{ role: 'USER', content: 'b1' }] } });
    await run(AppendMessages, { sessionId: 'a', messages: [{ role: 'ASSISTANT', content: 'a2' }] });
    const ba = as((await run(MergeSessions, { ids: ['b', 'a'], title: 'Both' })).mergeSessions, 'Session');
    expect(ba).toMatchObject({ title: 'Both', mergedFrom: ['b', 'a'], metadata: { k: 'a' }, messageCount: 3 });
    expect(ba.messages.edges.map((e) => [e.node.seq, e.node.content])).toEqual([[1, 'b1'], [2, 'a1'], [3, 'a2']]);
    const timeline = as((await run(MergeSessions, { ids: ['a', 'b'], order: 'CHRONOLOGICAL' })).mergeSessions, 'Session');
    expect(timeline.messages.edges.map((e) => e.node.content)).toEqual(['a1', 'b1', 'a2']);
    expect(as((await run(MergeSessions, { ids: ['a', 'missing'] })).mergeSessions, 'NotFoundError').entityId).toBe('missing');
    expect(as((await run(MergeSessions, { ids: ['a'] })).mergeSessions, 'ValidationError').problems[0]?.path).toEqual(['ids']);
  });
});
