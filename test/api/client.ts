import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App, type AppConfig } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Storage } from '../../src/core/storage.js';
import { httpFetch, LEAN_HTTP } from '../http-path.js';

export type Variables<V> = Record<string, never> extends V ? [V?] : [V];

/** Counts every call made to a storage, per method. */
export function countingStorage(storage: Storage) {
  const calls = new Map<string, number>();
  const counted = new Proxy(storage, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    storage: counted,
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => calls.clear(),
  };
}

/** The defaults of an unconfigured server (see src/server/config.ts), with a short shutdown for tests. */
export const TEST_CONFIG: AppConfig = { ...loadConfig({ LEAN_HTTP }), shutdownTimeoutMs: 1000 };

/** A Parley app over a fresh in-memory storage, queried over HTTP (see test/http-path.ts). */
export function createTestClient(config: Partial<typeof TEST_CONFIG> = {}) {
  const counter = countingStorage(createMemoryStorage());
  const app: App = createApp({ storage: counter.storage, config: { ...TEST_CONFIG, ...config } });

  async function execute<R, V>(document: TypedDocumentNode<R, V>, ...[variables]: Variables<V>): Promise<ExecutionResult<R>> {
    const response = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as ExecutionResult<R>;
  }

  /** Runs an operation that must succeed at the GraphQL level, and gives its data. */
  async function run<R, V>(document: TypedDocumentNode<R, V>, ...variables: Variables<V>): Promise<R> {
    const result = await execute(document, ...variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  return { app, counter, execute, run };
}

/** Narrows a result union to one member, failing the test with what came instead. */
export function as<T extends { __typename?: string }, N extends NonNullable<T['__typename']>>(
  value: T | null | undefined,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (!value || value.__typename !== typename) {
    throw new Error(`Expected ${typename}, got ${JSON.stringify(value)}`);
  }
  return value as Extract<T, { __typename?: N }>;
}
