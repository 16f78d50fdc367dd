import type { CodegenConfig } from '@graphql-codegen/cli';

/** The client preset's settings, shared by the API tests' client and the console's. */
const clientPreset = {
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
} as const;

/**
 * GraphQL Code Generator: reads schema.graphql and the operations written with `graphql(...)` in the
 * API tests and in the console, and writes typed documents to test/gql/ and console/gql/. `npm test`
 * runs it with --check, so a stale or broken generated client fails the run. A client of Parley can
 * copy this file, pointing `documents` at its own code.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    // The union and interface members, for normalized caches (Apollo's possibleTypes, urql graphcache's
    // possibleTypes): see "Using Apollo Client / urql" in the README.
    'possible-types.json': { plugins: ['fragment-matcher'] },
    'test/gql/': { ...clientPreset, documents: ['test/api/**/*.ts'] },
    'console/gql/': { ...clientPreset, documents: ['console/src/**/*.ts', 'console/src/**/*.tsx'] },
    // The CLI sends its operations as strings over fetch, so it needs no graphql runtime.
    'cli/gql/': { ...clientPreset, documents: ['cli/**/*.ts', '!cli/gql/**'], config: { ...clientPreset.config, documentMode: 'string' } },
  },
  importExtension: '.js',
};

export default config;
