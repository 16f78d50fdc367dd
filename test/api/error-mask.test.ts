import { GraphQLError, GraphQLInt, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import type { Session } from '../../src/core/model.js';
import type { Storage } from '../../src/core/storage.js';
import { useErrorLog } from '../../src/server/plugins/error-log.js';
import { useCompiledExecution } from '../../src/server/plugins/jit.js';
import { maskError } from '../../src/server/plugins/mask-error.js';
import { captureLogsButRequests } from '../logs.js';
import { TEST_CONFIG } from './client.js';
import { httpFetch } from '../http-path.js';

interface Answer {
  data?: unknown;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

const capture = () => captureLogsButRequests('debug');
const errorLines = (lines: { level: string; line: string }[]) => lines.filter((l) => l.level === 'error').map((l) => l.line);

/** A schema whose fields fail in every way a resolver or a serializer can. */
function failingSchema(): GraphQLSchema {
  const badScalar = new GraphQLScalarType({
    name: 'Bad',
    serialize: () => {
      throw new TypeError('serializer blew up on purpose');
    },
  });
  const fields = {
    error: () => {
      throw new Error('plain error on purpose');
    },
    text: () => {
      throw 'a string thrown on purpose';
    },
    nothing: () => {
      throw null;
    },
    undef: () => {
      throw undefined;
    },
    object: () => {
      throw { reason: 'an object thrown on purpose' };
    },
    bare: () => {
      throw new GraphQLError('a bare GraphQLError on purpose');
    },
    typed: () => {
      throw new GraphQLError('deliberate', { extensions: { code: 'FORBIDDEN' } });
    },
  };
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        ...Object.fromEntries(Object.entries(fields).map(([name, resolve]) => [name, { type: GraphQLString, resolve }])),
        tooBig: { type: GraphQLInt, resolve: () => 2 ** 31 },
        badScalar: { type: badScalar, resolve: () => 'x' },
      },
    }),
  });
}

async function askFailing(field: string, compiled: boolean) {
  const { lines, logger } = capture();
  const yoga = createYoga({
    schema: failingSchema(),
    logging: false,
    maskedErrors: { maskError },
    context: () => ({ requestId: `req-${field}` }),
    plugins: [...(compiled ? [useCompiledExecution()] : []), useErrorLog(logger)],
  });
  const response = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ ${field} }` }),
  });
  return { status: response.status, body: (await response.json()) as Answer, lines };
}

const unexpected = [
  ['error', /plain error on purpose/],
  ['text', /a string thrown on purpose/],
  ['nothing', /null/],
  ['undef', /undefined/],
  // graphql-tools' executor turns a thrown object into an Error of its String() before anyone sees it.
  ['object', /an object thrown on purpose|\[object Object\]/],
  ['bare', /a bare GraphQLError on purpose/],
  ['tooBig', /Int cannot represent non 32-bit signed integer value: 2147483648/],
  ['badScalar', /serializer blew up on purpose/],
] as const;

describe('the error mask', () => {
  for (const compiled of [false, true]) {
    describe(compiled ? 'compiled execution (graphql-jit)' : 'graphql-js execution', () => {
      it.each(unexpected)('masks a failing field %s and logs its cause once, with the request id', async (field, cause) => {
        const { body, lines } = await askFailing(field, compiled);
        // graphql-jit fails the whole operation, at no path, when a resolver throws null or undefined.
        const whole = compiled && (field === 'nothing' || field === 'undef');
        const path = whole ? {} : { path: [field] };
        expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', ...path, extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
        expect(body.errors?.[0]?.path).toEqual(path.path);
        const logged = errorLines(lines);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toContain(`"requestId":"req-${field}"`);
        expect(logged[0]).toMatch(cause);
        expect(logged[0]).toContain(whole ? '"path":null' : `"path":"${field}"`);
      });

      it('lets a deliberate error with a code through, unlogged', async () => {
        const { body, lines } = await askFailing('typed', compiled);
        expect(body.errors).toEqual([expect.objectContaining({ message: 'deliberate', extensions: { code: 'FORBIDDEN' } })]);
        expect(errorLines(lines)).toEqual([]);
      });
    });
  }

  it('masks a result that cannot be written as JSON, and logs the cause once, with the request id', async () => {
    const memory = createMemoryStorage();
    const withBigInt = (session: Session | null) => session && { ...session, metadata: { n: 1n as unknown as number } };
    const storage: Storage = {
      ...memory,
      getSession: async (id) => withBigInt(await memory.getSession(id)),
      getSessions: async (ids) => (await memory.getSessions(ids)).map(withBigInt),
    };
    const { lines, logger } = capture();
    const app = createApp({ storage, config: TEST_CONFIG, logger });
    await app.service.createSession({ id: 'odd' });
    const response = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-json' },
      body: JSON.stringify({ query: '{ session(id: "odd") { ... on Session { id metadata } } }' }),
    });
    const body = (await response.json()) as Answer;
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    const logged = errorLines(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/"requestId":"req-json".*serialize a BigInt/);
  });

  it('masks a stored value that the API cannot return, and logs the cause with the request id', async () => {
    const memory = createMemoryStorage();
    const odd = (session: Session | null) => session && { ...session, lastSeq: 2 ** 31 };
    const storage: Storage = {
      ...memory,
      getSession: async (id) => odd(await memory.getSession(id)),
      getSessions: async (ids) => (await memory.getSessions(ids)).map(odd),
    };
    const { lines, logger } = capture();
    const app = createApp({ storage, config: TEST_CONFIG, logger });
    await app.service.createSession({ id: 'odd' });
    const response = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-odd' },
      body: JSON.stringify({ query: '{ session(id: "odd") { ... on Session { id lastSeq } } }' }),
    });
    const body = (await response.json()) as Answer;
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(JSON.stringify(body)).not.toContain('2147483648');
    const logged = errorLines(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/"requestId":"req-odd".*Int cannot represent non 32-bit signed integer value: 2147483648/);
  });
});
