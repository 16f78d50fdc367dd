import { readFileSync } from 'node:fs';
import { introspectionFromSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.js';

const committed = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema` after changing the API)', () => {
    expect(committed('schema.graphql'), 'schema.graphql is stale: run `npm run schema` and commit it').toBe(`${printSchema(schema)}\n`);
  });

  it('has its introspection twin, schema.introspection.json, current too', () => {
    const expected = introspectionFromSchema(schema, { descriptions: false });
    expect(JSON.parse(committed('schema.introspection.json')), 'schema.introspection.json is stale: run `npm run schema`').toEqual(expected);
  });
});
