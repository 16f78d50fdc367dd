import { defineConfig } from 'vitest/config';

/** The API and security suites run over real HTTP on both request paths (see test/http-path.ts). */
const HTTP_SUITES = ['test/api/**/*.test.ts', 'test/security/**/*.test.ts'];

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; loading both gives two realms and Pothos then fails
    // with "Cannot use GraphQLObjectType from another module or realm". One entry point for all.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    globalSetup: ['test/mongo/global-setup.ts', 'test/browser/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: HTTP_SUITES, setupFiles: ['test/http-path.setup.ts'] } },
      { extends: true, test: { name: 'lean-http', include: HTTP_SUITES, provide: { leanHttp: true }, setupFiles: ['test/http-path.setup.ts'] } },
      { extends: true, test: { name: 'yoga-http', include: HTTP_SUITES, provide: { leanHttp: false }, setupFiles: ['test/http-path.setup.ts'] } },
    ],
  },
});
