import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Running } from '../live/helpers.js';
import { gql } from './gql.js';
import { parley } from './run.js';

const PRELOAD = fileURLToPath(new URL('./maxrss.mjs', import.meta.url));
const TEXT = 'x'.repeat(2000);
const HEAP_MB = 32;

/** Sessions of 20 messages of 2 kB each (about 40 kB of JSONL per session), created 16 at a time. */
async function seed(url: string, count: number, batch: string): Promise<void> {
  const messages = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: TEXT }));
  const query = 'mutation($input: CreateSessionInput!) { createSession(input: $input) { __typename } }';
  for (let i = 0; i < count; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, count - i) }, () => gql(url, query, { input: { metadata: { batch }, messages } })));
  }
}

async function peakRss(url: string, batch: string, file: string, heapMb: number): Promise<number> {
  const options = `--import ${PRELOAD} --max-old-space-size=${heapMb}`;
  const outcome = await parley(['export-all', '--meta', `batch=${batch}`, '--jsonl', '-o', file], { url, env: { NODE_OPTIONS: options }, timeoutMs: 120_000 });
  expect(outcome.exitCode, outcome.stderr).toBe(0);
  return Number(/maxrss (\d+)/.exec(outcome.stderr)?.[1]) * 1024;
}

describe('parley export-all memory', () => {
  let server: Running;
  beforeAll(async () => {
    server = await startApp();
    await seed(server.url, 100, 'small');
    await seed(server.url, 2000, 'large');
  }, 120_000);
  afterAll(() => server.stop());

  it('does not grow with the number of sessions: 2,000 sessions (80 MB of JSONL) export within a 32 MB heap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-export-'));
    // Unbounded, V8 lets its heap grow lazily whatever is live; capped at 32 MB, an export that held
    // its 80 MB of output would run out of memory (and exit non-zero).
    const small = await peakRss(server.url, 'small', join(dir, 'small.jsonl'), HEAP_MB);
    const large = await peakRss(server.url, 'large', join(dir, 'large.jsonl'), HEAP_MB);
    const written = statSync(join(dir, 'large.jsonl')).size;
    expect(written).toBeGreaterThan(80_000_000);
    expect(statSync(join(dir, 'small.jsonl')).size).toBeLessThan(written / 10);
    // Peak RSS (tsx and V8 included) is noisy; it only must not have grown by the output's size.
    expect(large - small).toBeLessThan(written);
  }, 180_000);
});
