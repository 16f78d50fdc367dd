import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; loading both gives two realms and Pothos then fails
    // with "Cannot use GraphQLObjectType from another module or realm". One entry point for all.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/mongo/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
