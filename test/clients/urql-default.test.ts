import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';

describe("urql 6's default client", () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    app = createApp({ storage: createMemoryStorage(), config: TEST_CONFIG });
    url = await app.start(0);
  });
  afterAll(() => app.stop());

  it('creates a session (POST) and reads it back (GET, its default for queries) without any extra setting', async () => {
    const methods: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      methods.push(init?.method ?? 'GET');
      return realFetch(input, init);
    });
    try {
      const client = new Client({ url, exchanges: [fetchExchange] });
      const created = await client
        .mutation(gql`mutation { createSession(input: { id: "urql-1", title: "From urql", messages: [{ role: USER, content: "hi" }] }) { ... on Session { id } } }`, {})
        .toPromise();
      expect(created.error).toBeUndefined();
      expect(created.data).toEqual({ createSession: { id: 'urql-1' } });
      const read = await client
        .query(gql`query($id: ID!) { session(id: $id) { title messageCount } }`, { id: 'urql-1' })
        .toPromise();
      expect(read.error).toBeUndefined();
      expect(read.data).toEqual({ session: { title: 'From urql', messageCount: 1 } });
    } finally {
      spy.mockRestore();
    }
    expect(methods).toEqual(['POST', 'GET']);
  });
});
