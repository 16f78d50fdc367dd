import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.js';
import { createTestClient } from './api/client.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## A first conversation in GraphiQL');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const operations = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/** Every `message` in a result: only the `... on Error { message }` fragments select one. */
function errorMessages(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'message' && typeof v === 'string' ? [v] : errorMessages(v)));
}

describe('the README walk-through', () => {
  it('has the operations a new user pastes into GraphiQL', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
  });

  it('runs each of them, in order, without an error', async () => {
    const { app } = createTestClient();
    const results: unknown[] = [];
    for (const query of operations) {
      const response = await app.yoga.fetch('http://parley.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      expect(body.errors, query).toBeUndefined();
      expect(errorMessages(body.data), query).toEqual([]);
      results.push(body.data);
    }
    expect(results[4]).toMatchObject({ mergeSessions: { mergedFrom: ['lisbon-trip', 'lisbon-retry'], messageCount: 4 } });
    expect(results[7]).toMatchObject({ sessions: { totalCount: 3 } });
  });
});

describe('every GraphQL example of the README', () => {
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  it.each(blocks.map((b) => [b.split('\n')[0] as string, b] as const))('is valid against the schema: %s', (_first, block) => {
    expect(validate(schema, parse(block)).map((e) => e.message)).toEqual([]);
  });
});
