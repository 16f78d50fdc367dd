import { writeFileSync } from 'node:fs';
import { introspectionFromSchema, printSchema } from 'graphql';
import { schema } from './schema/index.js';

/**
 * `npm run schema`: prints the (sorted) schema to schema.graphql, the file clients and reviewers read,
 * and the same schema as an introspection result without descriptions to schema.introspection.json,
 * for clients that take one (urql's graphcache).
 */
const files = {
  'schema.graphql': `${printSchema(schema)}\n`,
  'schema.introspection.json': `${JSON.stringify(introspectionFromSchema(schema, { descriptions: false }))}\n`,
};
for (const [file, text] of Object.entries(files)) {
  const target = new URL(`../../${file}`, import.meta.url);
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
