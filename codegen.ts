import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator: reads schema.graphql and the operations written with `graphql(...)` in the
 * API tests, and writes typed documents to test/gql/. `npm test` runs it with --check, so a stale or
 * broken generated client fails the run. A client of Parley can copy this file, pointing
 * `documents` at its own code.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    // The union and interface members, for normalized caches (Apollo's possibleTypes, urql graphcache's
    // possibleTypes): see "Using Apollo Client / urql" in the README.
    'possible-types.json': { plugins: ['fragment-matcher'] },
    'test/gql/': {
      documents: ['test/api/**/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
    // The CLI sends its operations as strings over fetch, so it needs no graphql runtime.
    'cli/gql/': {
      documents: ['cli/**/*.ts', '!cli/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
  importExtension: '.js',
};

export default config;
