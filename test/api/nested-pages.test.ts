import { describe, expect, it } from 'vitest';
import { createTestClient } from './client.js';
import { httpFetch } from '../http-path.js';

type Answer = { data?: unknown; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };

async function post(app: ReturnType<typeof createTestClient>['app'], query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await httpFetch(app, 'http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

// Every list field nested in an object whose page size is bounded by MAX_PAGE_SIZE.
const NESTED: [field: string, query: string, path: string[]][] = [
  ['Session.messages(last)', '{ session(id: "s") { messages(last: 500) { totalCount } } }', ['session', 'messages']],
  ['Session.messages(first)', '{ session(id: "s") { messages(first: 101) { totalCount } } }', ['session', 'messages']],
  ['User.sessions(first)', '{ user(id: "u") { sessions(first: 101) { totalCount } } }', ['user', 'sessions']],
  ['Session.owner.sessions(first)', '{ session(id: "s") { owner { sessions(first: 101) { totalCount } } } }', ['session', 'owner', 'sessions']],
];

describe('page limits of nested list fields', () => {
  it.each(NESTED)('%s names the limit as the typed errors do (MAX_PAGE_SIZE)', async (_field, query, path) => {
    const { app } = createTestClient();
    const setup = await post(app, 'mutation { upsertUser(input: { id: "u", name: "U" }) { __typename } createSession(input: { id: "s", ownerId: "u" }) { __typename } }');
    expect(setup.errors).toBeUndefined();
    const typed = (await post(app, '{ history(sessionId: "s", last: 500) { ... on LimitExceededError { limit violations { limit } } } }')).data;
    expect(typed).toEqual({ history: { limit: 'MAX_PAGE_SIZE', violations: [{ limit: 'MAX_PAGE_SIZE' }] } });
    const { errors } = await post(app, query);
    expect(errors?.[0]).toMatchObject({
      message: expect.stringMatching(/at most 100/),
      path,
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'MAX_PAGE_SIZE', violations: [expect.objectContaining({ limit: 'MAX_PAGE_SIZE', max: 100, actual: expect.any(Number) })] },
    });
  });
});
