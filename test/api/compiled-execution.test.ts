import { describe, expect, it } from 'vitest';
import { createTestClient } from './client.js';
import { httpFetch } from '../http-path.js';

/** Raw requests, so the tests can use documents shaped as clients write them by hand. */
async function post(query: string, variables: Record<string, unknown> = {}) {
  const { app } = createTestClient();
  const response = await httpFetch(app, 'http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('operations run as compiled queries answer as graphql-js does', () => {
  it('keeps the variables used inside a JSON literal', async () => {
    const { body } = await post(
      'mutation($c: String) { createSession(input: { metadata: { category: $c, tags: ["a", $c] } }) { ... on Session { metadata } } }',
      { c: 'support' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ createSession: { metadata: { category: 'support', tags: ['a', 'support'] } } });
  });

  it("rejects a variable that does not coerce with 400 and the scalar's own message", async () => {
    const { status, body } = await post('query($f: SessionFilter) { sessions(filter: $f) { __typename } }', { f: { createdAfter: 'yesterday' } });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Variable "\$f" got invalid value "yesterday" at "f.createdAfter"; A DateTime is an ISO 8601/);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('answers the same document again with other variables, each time with its own values', async () => {
    const { app } = createTestClient();
    const query = 'mutation($t: String) { createSession(input: { title: $t }) { ... on Session { title } } }';
    for (const title of ['first', 'second']) {
      const response = await httpFetch(app, 'http://parley.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { t: title } }),
      });
      expect(await response.json()).toEqual({ data: { createSession: { title } } });
    }
  });
});
