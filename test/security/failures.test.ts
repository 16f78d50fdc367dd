import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Storage } from '../../src/core/storage.js';
import { httpFetch, LEAN_HTTP } from '../http-path.js';
import { captureLogs } from '../logs.js';

/** A memory storage that can be switched into failing (throwing) or hanging (never answering). */
function flakyStorage() {
  const storage = createMemoryStorage();
  let mode: 'up' | 'throwing' | 'hanging' = 'up';
  const flaky = {} as Record<string, unknown>;
  for (const key of Object.keys(storage) as (keyof Storage)[]) {
    const method = storage[key] as (...args: unknown[]) => Promise<unknown>;
    flaky[key] = (...args: unknown[]) => {
      if (mode === 'throwing' && key !== 'close') return Promise.reject(new Error('connection reset by peer 10.1.2.3'));
      if (mode === 'hanging' && key !== 'close') return new Promise(() => {});
      return method.apply(storage, args);
    };
  }
  return { storage: flaky as unknown as Storage, set: (next: typeof mode) => void (mode = next) };
}

function setup() {
  const flaky = flakyStorage();
  const { logger, lines } = captureLogs('info');
  const app = createApp({ storage: flaky.storage, config: { ...loadConfig({ LEAN_HTTP, STORAGE_TIMEOUT_MS: '200' }), shutdownTimeoutMs: 500 }, logger });
  const query = async (query: string, requestId: string) => {
    const response = await httpFetch(app, 'http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  const ready = async () => (await httpFetch(app, 'http://parley.test/ready')).status;
  return { app, flaky, lines, query, ready };
}

describe('storage failures', () => {
  it('gives a masked error and logs the cause with the request id when storage throws', async () => {
    const { flaky, lines, query } = setup();
    flaky.set('throwing');
    const result = await query('mutation { createSession(input: {}) { __typename } }', 'req-throw');
    expect(result.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(JSON.stringify(result)).not.toContain('10.1.2.3');
    const logged = lines.find((l) => l.requestId === 'req-throw' && l.msg === 'unexpected error');
    expect(logged).toMatchObject({ level: 'error', error: { message: 'connection reset by peer 10.1.2.3', stack: expect.stringContaining('failures.test.ts') } });
  });

  it('fails a request whose storage call hangs after STORAGE_TIMEOUT_MS, and logs it', async () => {
    const { flaky, lines, query } = setup();
    flaky.set('hanging');
    const started = Date.now();
    const result = await query('{ stats { __typename } }', 'req-hang');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const logged = lines.find((l) => l.requestId === 'req-hang' && l.msg === 'unexpected error');
    expect(logged).toMatchObject({ level: 'error', error: { message: expect.stringMatching(/did not answer within 200 ms/) } });
  });

  it('turns /ready false while storage is down and true again once it is back, serving all along', async () => {
    const { flaky, query, ready } = setup();
    expect(await ready()).toBe(200);
    flaky.set('throwing');
    expect(await ready()).toBe(503);
    flaky.set('hanging');
    expect(await ready()).toBe(503);
    flaky.set('up');
    expect(await ready()).toBe(200);
    expect((await query('{ stats { __typename } }', 'after')).data).toEqual({ stats: { __typename: 'Stats' } });
  });
});
