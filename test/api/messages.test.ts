import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { AppendMessage, AppendMessages, CreateSession, History, SessionMessages } from './operations.js';
import { httpFetch } from '../http-path.js';

async function withSession(count = 0) {
  const client = createTestClient();
  const messages = Array.from({ length: count }, (_, i) => ({ role: i % 2 ? ('ASSISTANT' as const) : ('USER' as const), content: `m${i + 1}` }));
  await client.run(CreateSession, { input: { id: 's', messages } });
  return client;
}

describe('messages over GraphQL', () => {
  it('appends a batch with consecutive seqs and returns the stored messages', async () => {
    const { run } = await withSession(2);
    const payload = as(
      (
        await run(AppendMessages, {
          sessionId: 's',
          messages: [
            { role: 'USER', content: 'Weather?', clientId: 'c1' },
            { role: 'TOOL', content: '{"t": 21}', name: 'weather', metadata: { tool_call_id: 'call_9' } },
          ],
          expectedSeq: 2,
        })
      ).appendMessages,
      'AppendMessagesPayload',
    );
    expect(payload.addedCount).toBe(2);
    expect(payload.session).toEqual({ id: 's', lastSeq: 4, messageCount: 4 });
    expect(payload.messages.map((m) => [m.seq, m.role, m.name, m.clientId, m.sessionId])).toEqual([
      [3, 'USER', null, 'c1', 's'],
      [4, 'TOOL', 'weather', null, 's'],
    ]);
  });

  it('returns the stored message when appendMessage is retried with the same clientId', async () => {
    const { run } = await withSession();
    const message = { role: 'USER' as const, content: 'once', clientId: 'retry-me' };
    const first = as((await run(AppendMessage, { sessionId: 's', message })).appendMessage, 'AppendMessagePayload');
    const retry = as((await run(AppendMessage, { sessionId: 's', message, expectedSeq: 0 })).appendMessage, 'AppendMessagePayload');
    expect(first.added).toBe(true);
    expect(retry).toMatchObject({ added: false, message: first.message, session: { lastSeq: 1 } });
  });

  it('types each append failure: stale expectedSeq, unknown session, bad message, too many messages', async () => {
    const { run } = await withSession(1);
    const stale = as((await run(AppendMessages, { sessionId: 's', messages: [{ role: 'USER', content: 'x' }], expectedSeq: 0 })).appendMessages, 'ConflictError');
    expect(stale).toMatchObject({ reason: 'SEQ_MISMATCH', expected: 0, actual: 1 });
    const missing = as((await run(AppendMessage, { sessionId: 'nope', message: { role: 'USER', content: 'x' } })).appendMessage, 'NotFoundError');
    expect(missing.entityId).toBe('nope');
    const bad = as(
      (await run(AppendMessage, { sessionId: 's', message: { role: 'USER', content: 'x', clientId: '' } })).appendMessage,
      'ValidationError',
    );
    expect(bad.problems.map((p) => p.path)).toEqual([['message', 'clientId']]);
    const { run: limited } = createTestClient({ limits: { maxBatchSize: 2 } });
    await limited(CreateSession, { input: { id: 'l' } });
    const tooMany = as(
      (await limited(AppendMessages, { sessionId: 'l', messages: Array.from({ length: 3 }, () => ({ role: 'USER' as const, content: 'x' })) })).appendMessages,
      'LimitExceededError',
    );
    expect(tooMany.violations[0]).toMatchObject({ limit: 'MAX_BATCH_SIZE', max: 2, actual: 3, path: ['messages'] });
  });

  it('pages through history backwards and forwards, with a role filter', async () => {
    const { run } = await withSession(9);
    const latest = as((await run(History, { sessionId: 's', last: 4 })).history, 'MessageConnection');
    expect(latest.edges.map((e) => e.node.seq)).toEqual([6, 7, 8, 9]);
    expect(latest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false, startCursor: '6' });
    const earlier = as((await run(History, { sessionId: 's', last: 4, before: latest.pageInfo.startCursor })).history, 'MessageConnection');
    expect(earlier.edges.map((e) => e.cursor)).toEqual(['2', '3', '4', '5']);
    const users = as((await run(History, { sessionId: 's', first: 2, after: '2', roles: ['USER'] })).history, 'MessageConnection');
    expect(users.edges.map((e) => [e.node.seq, e.node.role])).toEqual([[3, 'USER'], [5, 'USER']]);
    expect(users.totalCount).toBe(5);
  });

  it('types history failures: unknown session, forged cursor, oversized page', async () => {
    const { run } = await withSession(1);
    expect(as((await run(History, { sessionId: 'nope' })).history, 'NotFoundError')).toMatchObject({ entity: 'Session', entityId: 'nope' });
    expect(as((await run(History, { sessionId: 's', before: 'abc' })).history, 'ValidationError').problems[0]?.path).toEqual(['before']);
    expect(as((await run(History, { sessionId: 's', last: 101 })).history, 'LimitExceededError').limit).toBe('MAX_PAGE_SIZE');
  });

  it('still answers the deprecated NotFoundError.id, equal to entityId', async () => {
    const { app } = await withSession(0);
    const response = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ history(sessionId: "nope") { ... on NotFoundError { id entityId } } }' }),
    });
    expect(await response.json()).toEqual({ data: { history: { id: 'nope', entityId: 'nope' } } });
  });

  it('serves Session.messages and model-ready messages', async () => {
    const { run } = await withSession(3);
    await run(AppendMessages, {
      sessionId: 's',
      messages: [{ role: 'ASSISTANT', content: '', metadata: { tool_calls: [{ id: 'c1', type: 'function' }] } }],
    });
    const { session } = await run(SessionMessages, { id: 's', last: 2, lastN: 2 });
    expect(session?.messages.edges.map((e) => e.node.content)).toEqual(['m3', '']);
    expect(session?.messages).toMatchObject({ totalCount: 4, pageInfo: { hasPreviousPage: true, startCursor: '3' } });
    expect(session?.modelMessages).toEqual([
      { role: 'user', content: 'm3', name: null, toolCallId: null, toolCalls: null },
      { role: 'assistant', content: null, name: null, toolCallId: null, toolCalls: [{ id: 'c1', type: 'function' }] },
    ]);
  });

  it('reports a bad page on Session.messages as a GraphQL error with a code, not as a masked one', async () => {
    const { execute } = await withSession(1);
    const result = await execute(SessionMessages, { id: 's', last: 500 });
    expect(result.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/at most 100/),
      path: ['session', 'messages'],
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'MAX_PAGE_SIZE' },
    });
  });
});
