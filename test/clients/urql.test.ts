import { Client, fetchExchange, gql } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import schema from '../../schema.introspection.json' with { type: 'json' };
import { startApp, type Running } from '../live/helpers.js';
import { EMBEDDED_TYPES } from './readme-setup.js';

/* urql 6 with graphcache, set up as the README's "Using Apollo Client / urql" says, against a real Parley. */

let server: Running;
beforeAll(async () => {
  server = await startApp();
});
afterAll(() => server.stop());

function urql() {
  return new Client({
    url: server.url,
    exchanges: [
      cacheExchange({ schema, keys: Object.fromEntries(EMBEDDED_TYPES.map((type) => [type, () => null])) }),
      fetchExchange,
    ],
  });
}

const warnings: string[] = [];
afterEach(() => {
  warnings.length = 0;
  vi.restoreAllMocks();
});
function captureWarnings() {
  for (const level of ['warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  }
}

const History = gql`
  query History($id: ID!) {
    history(sessionId: $id, last: 1) {
      __typename
      ... on MessageConnection { totalCount }
      ... on NotFoundError { entity entityId }
      ... on Error { message }
    }
  }
`;

describe('urql 6 with graphcache', () => {
  it('reads the message of a NotFoundError through `... on Error { message }`', async () => {
    captureWarnings();
    const { data, error } = await urql().query(History, { id: 'nowhere' }).toPromise();
    expect(error).toBeUndefined();
    expect(data).toEqual({
      history: { __typename: 'NotFoundError', entity: 'Session', entityId: 'nowhere', message: 'Session nowhere was not found' },
    });
    expect(warnings).toEqual([]);
  });

  it('reads a session with different selections of its stats twice, without a cache warning', async () => {
    captureWarnings();
    const client = urql();
    await client
      .mutation(gql`mutation { createSession(input: { id: "urql-stats", messages: [{ role: USER, content: "hi" }, { role: ASSISTANT, content: "hello" }] }) { ... on Session { id } } }`, {})
      .toPromise();
    const first = await client.query(gql`query($id: ID!) { session(id: $id) { id stats { messageCount } } }`, { id: 'urql-stats' }).toPromise();
    const second = await client
      .query(gql`query($id: ID!) { session(id: $id) { id stats { exchangeCount messagesByRole { user } } } }`, { id: 'urql-stats' })
      .toPromise();
    expect(first.data).toMatchObject({ session: { stats: { messageCount: 2 } } });
    expect(second.data).toMatchObject({ session: { stats: { exchangeCount: 1, messagesByRole: { user: 1 } } } });
    expect(warnings).toEqual([]);
  });

  it('keeps "session X not found" apart from "user X not found" in the cache', async () => {
    captureWarnings();
    const client = urql();
    expect((await client.query(History, { id: 'X' }).toPromise()).data).toMatchObject({ history: { entity: 'Session', entityId: 'X' } });
    const deleted = await client.mutation(gql`mutation { deleteUser(id: "X") { __typename ... on NotFoundError { entity entityId } ... on Error { message } } }`, {}).toPromise();
    expect(deleted.data).toMatchObject({ deleteUser: { __typename: 'NotFoundError', entity: 'User', entityId: 'X' } });
    const cached = await client.query(History, { id: 'X' }, { requestPolicy: 'cache-only' }).toPromise();
    expect(cached.data).toMatchObject({ history: { __typename: 'NotFoundError', entity: 'Session', entityId: 'X' } });
    expect(warnings).toEqual([]);
  });
});
