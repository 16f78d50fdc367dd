import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import introspection from '../../possible-types.json' with { type: 'json' };
import { startApp, type Running } from '../live/helpers.js';
import { EMBEDDED_TYPES } from './readme-setup.js';

/*
 * Apollo Client 4 with its normalized InMemoryCache, set up as the README's "Using Apollo Client"
 * says, against a real Parley on a free port.
 */

let server: Running;
beforeAll(async () => {
  server = await startApp();
});
afterAll(() => server.stop());

function apollo() {
  return new ApolloClient({
    link: new HttpLink({ uri: server.url }),
    cache: new InMemoryCache({
      possibleTypes: introspection.possibleTypes,
      typePolicies: Object.fromEntries(EMBEDDED_TYPES.map((type) => [type, { merge: true }])),
    }),
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
      ... on MessageConnection { totalCount }
      ... on NotFoundError { entity entityId }
      ... on Error { message }
    }
  }
`;

describe('Apollo Client 4 with InMemoryCache', () => {
  it('reads the message of a NotFoundError through `... on Error { message }`', async () => {
    captureWarnings();
    const { data } = await apollo().query({ query: History, variables: { id: 'nowhere' } });
    expect(data).toEqual({
      history: { __typename: 'NotFoundError', entity: 'Session', entityId: 'nowhere', message: 'Session nowhere was not found' },
    });
    expect(warnings).toEqual([]);
  });

  it('reads a session with different selections of its stats twice, without "Cache data may be lost"', async () => {
    captureWarnings();
    const client = apollo();
    await client.mutate({
      mutation: gql`mutation { createSession(input: { id: "apollo-stats", messages: [{ role: USER, content: "hi" }, { role: ASSISTANT, content: "hello" }] }) { ... on Session { id } } }`,
    });
    const first = await client.query({ query: gql`query($id: ID!) { session(id: $id) { id stats { messageCount } } }`, variables: { id: 'apollo-stats' } });
    const second = await client.query({
      query: gql`query($id: ID!) { session(id: $id) { id stats { exchangeCount messagesByRole { user } } } }`,
      variables: { id: 'apollo-stats' },
    });
    expect(first.data).toMatchObject({ session: { stats: { messageCount: 2 } } });
    expect(second.data).toMatchObject({ session: { stats: { exchangeCount: 1, messagesByRole: { user: 1 } } } });
    const both = client.readQuery({
      query: gql`query($id: ID!) { session(id: $id) { id stats { messageCount exchangeCount } } }`,
      variables: { id: 'apollo-stats' },
    });
    expect(both).toMatchObject({ session: { stats: { messageCount: 2, exchangeCount: 1 } } });
    expect(warnings).toEqual([]);
  });

  it('keeps "session X not found" apart from "user X not found" in the cache', async () => {
    captureWarnings();
    const client = apollo();
    const before = await client.query({ query: History, variables: { id: 'X' } });
    expect(before.data).toMatchObject({ history: { entity: 'Session', entityId: 'X' } });
    const deleted = await client.mutate({
      mutation: gql`mutation { deleteUser(id: "X") { ... on NotFoundError { entity entityId } ... on Error { message } } }`,
    });
    expect(deleted.data).toMatchObject({ deleteUser: { __typename: 'NotFoundError', entity: 'User', entityId: 'X' } });
    const cached = await client.query({ query: History, variables: { id: 'X' }, fetchPolicy: 'cache-only' });
    expect(cached.data).toMatchObject({ history: { __typename: 'NotFoundError', entity: 'Session', entityId: 'X' } });
    expect(warnings).toEqual([]);
  });
});
