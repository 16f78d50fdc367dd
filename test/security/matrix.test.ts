import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.js';
import { overHttp, overSse, overWebSocket, ROLES, securedApp, until, type Outcome, type Role } from './setup.js';

/*
 * The tenancy matrix: every operation, as the owner of the data (alice), another user (bob), an
 * admin (ops) and an anonymous caller, over HTTP (SSE for subscriptions) and over WebSocket.
 */

type Check = (o: Outcome) => void;
interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  subscription?: boolean;
  /** Runs beside the operation; `answered` holds once its outcome is in. */
  trigger?: (app: App, answered: () => boolean) => Promise<unknown>;
  expect: Record<Exclude<Role, 'anonymous'>, Check>;
}

const field = (o: Outcome, name: string) => (o.data as Record<string, Record<string, unknown> | null> | null | undefined)?.[name];
const ok = (name: string, more?: (value: Record<string, unknown>) => void): Check => (o) => {
  expect(o.errors, JSON.stringify(o)).toBeUndefined();
  const value = field(o, name);
  expect(value, JSON.stringify(o)).toBeTruthy();
  expect(String(value?.__typename), JSON.stringify(o)).not.toMatch(/Error$/);
  more?.(value as Record<string, unknown>);
};
const hidden = (name: string): Check => (o) => {
  expect(o.errors, JSON.stringify(o)).toBeUndefined();
  expect(field(o, name), JSON.stringify(o)).toBeNull();
};
const typed = (name: string, typename: string): Check => (o) => expect(field(o, name)?.__typename, JSON.stringify(o)).toBe(typename);
const failsWith = (code: string): Check => (o) => expect(o.errors?.[0]?.extensions?.code, JSON.stringify(o)).toBe(code);
const ids = (value: Record<string, unknown>) => ((value.edges as { node: { id: string } }[]) ?? []).map((e) => e.node.id).sort();

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** What a session-creating mutation answers, whichever way it goes. */
const RESULT =
  '__typename ... on Session { id ownerId messages(first: 5) { edges { node { id seq clientId } } } } ... on Error { message } ... on ValidationError { problems { path message } } ... on ConflictError { reason }';
/** What an operation that may answer NotFoundError answers when it does. */
const MISSING = '__typename ... on Error { message } ... on NotFoundError { entity id }';
/** Choosing a session id is an admin's capability: anyone else is refused, whether the id is taken or free. */
const refused = (name: string, path: string[]): Check => (o) =>
  expect(field(o, name), JSON.stringify(o)).toEqual({
    __typename: 'ValidationError',
    message: expect.any(String),
    problems: [{ path, message: expect.stringMatching(/^Only an admin may choose a session id/) }],
  });
const taken = (name: string): Check => (o) => expect(field(o, name), JSON.stringify(o)).toMatchObject({ __typename: 'ConflictError', reason: 'ID_TAKEN' });
/** A session the server named: a random UUID (v4), with the document's message ids and clientIds kept. */
const assigned = (name: string, ownerId: string): Check =>
  ok(name, (v) => {
    expect(v.id).toMatch(UUID_V4);
    expect(v.ownerId).toBe(ownerId);
    expect(v.messages).toEqual({ edges: [{ node: { id: 'm-1', seq: 1, clientId: 'c-1' } }] });
  });

/** A Parley document (as exported) whose session carries the id `id`. */
const parleyDocument = (id: string, lineage: string | null = null) => ({
  format: 'parley.session',
  version: 1,
  session: {
    id,
    ownerId: 'alice',
    title: 'imported',
    model: null,
    systemPrompt: null,
    context: {},
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 3,
    forkedFrom: lineage && { sessionId: lineage, seq: 1 },
    mergedFrom: lineage ? [lineage] : [],
  },
  messages: [{ id: 'm-1', seq: 1, role: 'user', content: 'hello', name: null, metadata: {}, createdAt: '2026-01-01T00:00:00.000Z', clientId: 'c-1' }],
});

const CASES: Case[] = [
  { name: 'session', query: 'query { session(id: "a1") { id messageCount } }', expect: { owner: ok('session'), other: hidden('session'), admin: ok('session') } },
  {
    name: 'sessions',
    query: 'query { sessions(first: 10) { __typename ... on SessionConnection { totalCount edges { node { id } } } } }',
    expect: {
      owner: ok('sessions', (v) => expect(ids(v)).toEqual(['a1'])),
      other: ok('sessions', (v) => expect(ids(v)).toEqual(['b1'])),
      admin: ok('sessions', (v) => expect(ids(v)).toEqual(['a1', 'b1'])),
    },
  },
  {
    name: 'sessions of another owner',
    query: 'query { sessions(filter: { ownerId: "alice" }) { __typename ... on SessionConnection { totalCount edges { node { id } } } } }',
    expect: {
      owner: ok('sessions', (v) => expect(v.totalCount).toBe(1)),
      other: ok('sessions', (v) => expect([v.totalCount, ids(v)]).toEqual([0, []])),
      admin: ok('sessions', (v) => expect(v.totalCount).toBe(1)),
    },
  },
  {
    name: 'history',
    query: 'query { history(sessionId: "a1") { __typename ... on MessageConnection { totalCount } } }',
    expect: { owner: ok('history'), other: typed('history', 'NotFoundError'), admin: ok('history') },
  },
  {
    name: 'messages, model messages and stats of a session',
    query: 'query { session(id: "a1") { messages(last: 5) { totalCount } modelMessages { role } stats { messageCount } } }',
    expect: { owner: ok('session'), other: hidden('session'), admin: ok('session') },
  },
  {
    name: 'stats',
    query: 'query { stats { __typename ... on Stats { sessionCount userCount } } }',
    expect: {
      owner: ok('stats', (v) => expect(v).toMatchObject({ sessionCount: 1, userCount: 1 })),
      other: ok('stats', (v) => expect(v).toMatchObject({ sessionCount: 1, userCount: 1 })),
      admin: ok('stats', (v) => expect(v).toMatchObject({ sessionCount: 2, userCount: 2 })),
    },
  },
  {
    name: 'exportSession',
    query: 'query { exportSession(id: "a1") { __typename } }',
    expect: { owner: typed('exportSession', 'ExportedSession'), other: typed('exportSession', 'NotFoundError'), admin: typed('exportSession', 'ExportedSession') },
  },
  { name: 'user', query: 'query { user(id: "alice") { id } }', expect: { owner: ok('user'), other: hidden('user'), admin: ok('user') } },
  {
    name: 'users',
    query: 'query { users { __typename ... on UserConnection { totalCount edges { node { id } } } } }',
    expect: {
      owner: ok('users', (v) => expect(ids(v)).toEqual(['alice'])),
      other: ok('users', (v) => expect(ids(v)).toEqual(['bob'])),
      admin: ok('users', (v) => expect(ids(v)).toEqual(['alice', 'bob'])),
    },
  },
  {
    name: 'createSession',
    query: 'mutation { createSession(input: { title: "new" }) { __typename ... on Session { id ownerId } } }',
    expect: {
      owner: ok('createSession', (v) => expect([v.id, v.ownerId]).toEqual([expect.stringMatching(UUID_V4), 'alice'])),
      other: ok('createSession', (v) => expect([v.id, v.ownerId]).toEqual([expect.stringMatching(UUID_V4), 'bob'])),
      admin: ok('createSession', (v) => expect([v.id, v.ownerId]).toEqual([expect.stringMatching(UUID_V4), 'ops'])),
    },
  },
  {
    name: 'createSession with a taken id',
    query: `mutation { createSession(input: { id: "a1" }) { ${RESULT} } }`,
    expect: { owner: refused('createSession', ['input', 'id']), other: refused('createSession', ['input', 'id']), admin: taken('createSession') },
  },
  {
    name: 'createSession with a free id',
    query: `mutation { createSession(input: { id: "chosen" }) { ${RESULT} } }`,
    expect: {
      owner: refused('createSession', ['input', 'id']),
      other: refused('createSession', ['input', 'id']),
      admin: ok('createSession', (v) => expect(v.id).toBe('chosen')),
    },
  },
  {
    name: 'copySession to a chosen id',
    query: `mutation { copySession(id: "a1", newId: "b1") { ${RESULT} } }`,
    expect: { owner: refused('copySession', ['newId']), other: refused('copySession', ['newId']), admin: taken('copySession') },
  },
  {
    name: 'mergeSessions to a chosen id',
    query: `mutation { mergeSessions(ids: ["a1", "b1"], newId: "b1") { ${RESULT} } }`,
    expect: { owner: refused('mergeSessions', ['newId']), other: refused('mergeSessions', ['newId']), admin: taken('mergeSessions') },
  },
  {
    name: 'importSession under a chosen id',
    query: `mutation { importSession(document: [{ role: "user", content: "imported" }], newId: "a1") { ${RESULT} } }`,
    expect: { owner: refused('importSession', ['newId']), other: refused('importSession', ['newId']), admin: taken('importSession') },
  },
  {
    name: 'importSession of a document that carries a taken id',
    query: `mutation ($document: JSON!) { importSession(document: $document) { ${RESULT} } }`,
    variables: { document: parleyDocument('a1') },
    expect: { owner: assigned('importSession', 'alice'), other: assigned('importSession', 'bob'), admin: taken('importSession') },
  },
  {
    name: 'createSession for someone else',
    query: 'mutation { createSession(input: { ownerId: "alice" }) { __typename ... on Session { ownerId } } }',
    expect: { owner: ok('createSession'), other: typed('createSession', 'ValidationError'), admin: ok('createSession', (v) => expect(v.ownerId).toBe('alice')) },
  },
  {
    name: 'updateSession',
    query: 'mutation { updateSession(id: "a1", input: { title: "renamed" }) { __typename } }',
    expect: { owner: typed('updateSession', 'Session'), other: typed('updateSession', 'NotFoundError'), admin: typed('updateSession', 'Session') },
  },
  {
    name: 'appendMessage',
    query: 'mutation { appendMessage(sessionId: "a1", message: { role: USER, content: "hi" }) { __typename } }',
    expect: { owner: typed('appendMessage', 'AppendMessagePayload'), other: typed('appendMessage', 'NotFoundError'), admin: typed('appendMessage', 'AppendMessagePayload') },
  },
  {
    name: 'appendMessages',
    query: 'mutation { appendMessages(sessionId: "a1", messages: [{ role: USER, content: "hi" }]) { __typename } }',
    expect: { owner: typed('appendMessages', 'AppendMessagesPayload'), other: typed('appendMessages', 'NotFoundError'), admin: typed('appendMessages', 'AppendMessagesPayload') },
  },
  {
    name: 'copySession',
    query: 'mutation { copySession(id: "a1") { __typename ... on Session { ownerId } } }',
    expect: {
      owner: ok('copySession', (v) => expect(v.ownerId).toBe('alice')),
      other: typed('copySession', 'NotFoundError'),
      admin: ok('copySession', (v) => expect(v.ownerId).toBe('alice')),
    },
  },
  {
    name: 'mergeSessions across owners',
    query: 'mutation { mergeSessions(ids: ["a1", "b1"]) { __typename } }',
    expect: { owner: typed('mergeSessions', 'NotFoundError'), other: typed('mergeSessions', 'NotFoundError'), admin: typed('mergeSessions', 'Session') },
  },
  {
    name: 'importSession',
    query: 'mutation { importSession(document: [{ role: "user", content: "imported" }]) { __typename ... on Session { ownerId } } }',
    expect: {
      owner: ok('importSession', (v) => expect(v.ownerId).toBe('alice')),
      other: ok('importSession', (v) => expect(v.ownerId).toBe('bob')),
      admin: ok('importSession', (v) => expect(v.ownerId).toBe('ops')),
    },
  },
  {
    name: 'deleteSession',
    query: 'mutation { deleteSession(id: "a1") { __typename } }',
    expect: { owner: typed('deleteSession', 'DeletedSession'), other: typed('deleteSession', 'NotFoundError'), admin: typed('deleteSession', 'DeletedSession') },
  },
  {
    name: 'upsertUser',
    query: 'mutation { upsertUser(input: { id: "alice", name: "Alice" }) { __typename } }',
    expect: { owner: typed('upsertUser', 'UpsertUserPayload'), other: typed('upsertUser', 'ValidationError'), admin: typed('upsertUser', 'UpsertUserPayload') },
  },
  {
    name: 'deleteUser',
    query: 'mutation { deleteUser(id: "alice") { __typename } }',
    expect: { owner: typed('deleteUser', 'DeleteUserPayload'), other: typed('deleteUser', 'NotFoundError'), admin: typed('deleteUser', 'DeleteUserPayload') },
  },
  {
    name: 'messageAdded',
    subscription: true,
    query: 'subscription { messageAdded(sessionId: "a1", afterSeq: 0) { seq } }',
    expect: { owner: ok('messageAdded'), other: failsWith('NOT_FOUND'), admin: ok('messageAdded') },
  },
  {
    name: 'sessionEvents of an owner',
    subscription: true,
    query: 'subscription { sessionEvents(ownerId: "alice") { type sessionId } }',
    trigger: createWhenListening('alice'),
    expect: { owner: ok('sessionEvents'), other: failsWith('FORBIDDEN'), admin: ok('sessionEvents') },
  },
  {
    name: 'sessionEvents of everyone',
    subscription: true,
    query: 'subscription { sessionEvents { type session { ownerId } } }',
    trigger: createWhenListening('alice', 'bob'),
    expect: {
      owner: ok('sessionEvents', (v) => expect(v.session).toEqual({ ownerId: 'alice' })),
      other: ok('sessionEvents', (v) => expect(v.session).toEqual({ ownerId: 'bob' })),
      admin: ok('sessionEvents'),
    },
  },
];

/** Once a subscriber listens, creates a session for each owner in turn; nothing when it was refused. */
function createWhenListening(...owners: string[]) {
  return async (app: App, answered: () => boolean) => {
    await until(() => answered() || app.events.listenerCount() > 0);
    if (answered()) return;
    for (const ownerId of owners) await app.service.createSession({ ownerId });
  };
}

async function seeded(): Promise<App> {
  const app = securedApp();
  const { service } = app; // unscoped: the seed is written as the system, not as a caller
  await service.upsertUser({ id: 'alice', name: 'Alice' });
  await service.upsertUser({ id: 'bob', name: 'Bob' });
  await service.createSession({ id: 'a1', ownerId: 'alice', messages: [{ role: 'USER', content: 'secret of alice', clientId: 'ca1' }] });
  await service.createSession({ id: 'b1', ownerId: 'bob', messages: [{ role: 'USER', content: 'secret of bob' }] });
  return app;
}

const started: App[] = [];
afterAll(async () => {
  await Promise.all(started.map((app) => app.stop()));
});

type Transport = 'HTTP' | 'WebSocket';

/** Runs one operation on `app` as `role`; over HTTP a subscription goes over SSE. The app is stopped afterwards. */
async function run(app: App, transport: Transport, role: Role, c: Pick<Case, 'query' | 'variables' | 'subscription' | 'trigger'>): Promise<Outcome> {
  let answered = false;
  const trigger = c.trigger && (() => c.trigger!(app, () => answered));
  if (transport === 'HTTP') {
    try {
      return c.subscription ? await overSse(app, role, c.query, c.variables, trigger) : await overHttp(app, role, c.query, c.variables);
    } finally {
      answered = true;
      await app.stop();
    }
  }
  started.push(app);
  const url = await app.start(0);
  try {
    return await overWebSocket(url, role, c.query, c.variables, trigger);
  } finally {
    answered = true;
  }
}

describe.each(['HTTP', 'WebSocket'] as const)('tenancy over %s', (transport) => {
  it.each(CASES.flatMap((c) => ROLES.map((role) => [c.name, role, c] as const)))('%s as %s', async (_name, role, c) => {
    const outcome = await run(await seeded(), transport, role, c);
    if (role === 'anonymous') {
      if (transport === 'HTTP') {
        expect(outcome.status).toBe(401);
        expect(outcome.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      } else {
        expect(outcome.status).toBe(4401);
      }
    } else {
      c.expect[role](outcome);
    }
  });
});

/*
 * Existence is never revealed: for every operation that takes an id, another tenant's id (alice's,
 * asked by bob) gets the very answer a free id gets, ids, UUIDs and times aside.
 */
interface Probe {
  name: string;
  query: string;
  /** The operation's variables, naming the id probed. */
  variables: (id: string) => Record<string, unknown>;
  /** alice's id (taken) and an id nobody holds (free). */
  ids: [taken: string, free: string];
  subscription?: boolean;
  /** What bob gets for both. */
  expect: Check;
}

const SESSION_IDS: Probe['ids'] = ['a1', 'z9'];
const USER_IDS: Probe['ids'] = ['alice', 'nobody'];
const notFound = (name: string): Check => (o) => expect(field(o, name)?.__typename, JSON.stringify(o)).toBe('NotFoundError');
const PROBES: Probe[] = [
  { name: 'createSession with that id', query: `mutation ($id: ID!) { createSession(input: { id: $id }) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: refused('createSession', ['input', 'id']) },
  { name: 'copySession to that id', query: `mutation ($id: ID!) { copySession(id: "b1", newId: $id) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: refused('copySession', ['newId']) },
  { name: 'mergeSessions to that id', query: `mutation ($id: ID!) { mergeSessions(ids: ["b1", "b2"], newId: $id) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: refused('mergeSessions', ['newId']) },
  {
    name: 'importSession under that id',
    query: `mutation ($id: ID!) { importSession(document: [{ role: "user", content: "hi" }], newId: $id) { ${RESULT} } }`,
    variables: (id) => ({ id }),
    ids: SESSION_IDS,
    expect: refused('importSession', ['newId']),
  },
  {
    name: 'importSession of a Parley document with that id',
    query: `mutation ($document: JSON!) { importSession(document: $document) { ${RESULT} } }`,
    variables: (id) => ({ document: parleyDocument(id) }),
    ids: SESSION_IDS,
    expect: assigned('importSession', 'bob'),
  },
  {
    name: 'importSession of an SDK session file with that id',
    query: 'mutation ($document: JSON!) { importSession(document: $document) { __typename ... on Session { id ownerId } } }',
    variables: (id) => ({ document: { id, title: 'sdk', messages: [{ id: 'x1', role: 'user', content: 'hi', timestamp: '2026-01-01T00:00:00Z' }] } }),
    ids: SESSION_IDS,
    expect: ok('importSession', (v) => expect([v.id, v.ownerId]).toEqual([expect.stringMatching(UUID_V4), 'bob'])),
  },
  {
    name: 'importSession of a document forked and merged from that id',
    query: 'mutation ($document: JSON!) { importSession(document: $document) { __typename ... on Session { forkedFrom { sessionId session { id } } mergedFrom } } }',
    variables: (id) => ({ document: parleyDocument('mine', id) }),
    ids: SESSION_IDS,
    expect: ok('importSession', (v) => expect(v.forkedFrom).toMatchObject({ session: null })),
  },
  { name: 'session', query: 'query ($id: ID!) { session(id: $id) { id } }', variables: (id) => ({ id }), ids: SESSION_IDS, expect: hidden('session') },
  { name: 'history', query: `query ($id: ID!) { history(sessionId: $id) { ${MISSING} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('history') },
  { name: 'exportSession', query: `query ($id: ID!) { exportSession(id: $id) { ${MISSING} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('exportSession') },
  {
    name: 'updateSession',
    query: `mutation ($id: ID!) { updateSession(id: $id, input: { title: "mine now", expectedVersion: 1 }) { ${RESULT} } }`,
    variables: (id) => ({ id }),
    ids: SESSION_IDS,
    expect: notFound('updateSession'),
  },
  { name: 'deleteSession', query: `mutation ($id: ID!) { deleteSession(id: $id) { ${MISSING} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('deleteSession') },
  {
    name: 'appendMessages with alice\'s clientId',
    query: `mutation ($id: ID!) { appendMessages(sessionId: $id, messages: [{ role: USER, content: "hi", clientId: "ca1" }], expectedSeq: 1) { ${MISSING} } }`,
    variables: (id) => ({ id }),
    ids: SESSION_IDS,
    expect: notFound('appendMessages'),
  },
  {
    name: 'appendMessages to bob\'s own session with that clientId',
    query: 'mutation ($id: String!) { appendMessages(sessionId: "b1", messages: [{ role: USER, content: "hi", clientId: $id }]) { __typename ... on AppendMessagesPayload { addedCount messages { seq content clientId } } } }',
    variables: (id) => ({ id }),
    ids: ['ca1', 'cz9'],
    expect: ok('appendMessages', (v) => expect(v).toMatchObject({ addedCount: 1, messages: [{ seq: 2, content: 'hi' }] })),
  },
  { name: 'copySession from that id', query: `mutation ($id: ID!) { copySession(id: $id, upToSeq: 1) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('copySession') },
  { name: 'mergeSessions from that id first', query: `mutation ($id: ID!) { mergeSessions(ids: [$id, "b1"]) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('mergeSessions') },
  { name: 'mergeSessions from that id last', query: `mutation ($id: ID!) { mergeSessions(ids: ["b1", $id]) { ${RESULT} } }`, variables: (id) => ({ id }), ids: SESSION_IDS, expect: notFound('mergeSessions') },
  {
    name: 'messageAdded',
    subscription: true,
    query: 'subscription ($id: ID!) { messageAdded(sessionId: $id, afterSeq: 0) { seq } }',
    variables: (id) => ({ id }),
    ids: SESSION_IDS,
    expect: failsWith('NOT_FOUND'),
  },
  { name: 'user', query: 'query ($id: ID!) { user(id: $id) { id } }', variables: (id) => ({ id }), ids: USER_IDS, expect: hidden('user') },
  {
    name: 'upsertUser',
    query: 'mutation ($id: ID!) { upsertUser(input: { id: $id, name: "Mallory" }) { __typename ... on ValidationError { problems { path message } } } }',
    variables: (id) => ({ id }),
    ids: USER_IDS,
    expect: typed('upsertUser', 'ValidationError'),
  },
  { name: 'deleteUser', query: `mutation ($id: ID!) { deleteUser(id: $id) { ${MISSING} } }`, variables: (id) => ({ id }), ids: USER_IDS, expect: notFound('deleteUser') },
  {
    name: 'sessions of that owner',
    query: 'query ($id: ID!) { sessions(filter: { ownerId: $id }) { __typename ... on SessionConnection { totalCount edges { node { id } } } } }',
    variables: (id) => ({ id }),
    ids: USER_IDS,
    expect: ok('sessions', (v) => expect(v.totalCount).toBe(0)),
  },
  {
    name: 'stats of that owner',
    query: 'query ($id: ID!) { stats(filter: { ownerId: $id }) { __typename ... on Stats { sessionCount messageCount userCount } } }',
    variables: (id) => ({ id }),
    ids: USER_IDS,
    expect: ok('stats', (v) => expect(v).toMatchObject({ sessionCount: 0, messageCount: 0 })),
  },
  { name: 'sessionEvents of that owner', subscription: true, query: 'subscription ($id: ID!) { sessionEvents(ownerId: $id) { type } }', variables: (id) => ({ id }), ids: USER_IDS, expect: failsWith('FORBIDDEN') },
];

/** The answer with the id probed, UUIDs and timestamps replaced by placeholders. */
function normalized(outcome: Outcome, id: string): string {
  return JSON.stringify(outcome)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(new RegExp(`\\b${id}\\b`, 'g'), '<id>');
}

describe.each(['HTTP', 'WebSocket'] as const)('another tenant\'s ids over %s', (transport) => {
  it.each(PROBES.map((p) => [p.name, p] as const))('%s: bob gets the same answer for alice\'s id as for a free one', async (_name, probe) => {
    const [takenId, freeId] = probe.ids;
    const answer = async (id: string) => {
      const app = await seeded();
      await app.service.createSession({ id: 'b2', ownerId: 'bob', messages: [{ role: 'ASSISTANT', content: 'also bob' }] });
      return run(app, transport, 'other', { ...probe, variables: probe.variables(id) });
    };
    const [forTaken, forFree] = [await answer(takenId), await answer(freeId)];
    probe.expect(forTaken);
    expect(normalized(forTaken, takenId)).toBe(normalized(forFree, freeId));
  });
});
