import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
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
  trigger?: (app: App) => Promise<unknown>;
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
    query: 'mutation { createSession(input: { title: "new" }) { __typename ... on Session { ownerId } } }',
    expect: {
      owner: ok('createSession', (v) => expect(v.ownerId).toBe('alice')),
      other: ok('createSession', (v) => expect(v.ownerId).toBe('bob')),
      admin: ok('createSession', (v) => expect(v.ownerId).toBe('ops')),
    },
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

/** Once a subscriber listens, creates a session for each owner in turn. */
function createWhenListening(...owners: string[]) {
  return async (app: App) => {
    await until(() => app.events.listenerCount() > 0);
    for (const ownerId of owners) await app.service.createSession({ ownerId });
  };
}

async function seeded(): Promise<App> {
  const app = securedApp();
  const { service } = app; // unscoped: the seed is written as the system, not as a caller
  await service.upsertUser({ id: 'alice', name: 'Alice' });
  await service.upsertUser({ id: 'bob', name: 'Bob' });
  await service.createSession({ id: 'a1', ownerId: 'alice', messages: [{ role: 'USER', content: 'secret of alice' }] });
  await service.createSession({ id: 'b1', ownerId: 'bob', messages: [{ role: 'USER', content: 'secret of bob' }] });
  return app;
}

const started: App[] = [];
afterAll(async () => {
  await Promise.all(started.map((app) => app.stop()));
});

describe.each(['HTTP', 'WebSocket'] as const)('tenancy over %s', (transport) => {
  it.each(CASES.flatMap((c) => ROLES.map((role) => [c.name, role, c] as const)))('%s as %s', async (_name, role, c) => {
    const app = await seeded();
    let outcome: Outcome;
    const trigger = c.trigger && (() => c.trigger!(app));
    if (transport === 'HTTP') {
      outcome = c.subscription ? await overSse(app, role, c.query, c.variables, trigger) : await overHttp(app, role, c.query, c.variables);
    } else {
      started.push(app);
      const url = await app.start(0);
      outcome = await overWebSocket(url, role, c.query, c.variables, trigger);
    }
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
    if (transport === 'HTTP') await app.stop();
  });
});
