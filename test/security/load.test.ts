import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Message } from '../../src/core/model.js';
import type { Storage } from '../../src/core/storage.js';
import { LEAN_HTTP } from '../http-path.js';

/*
 * Load with nothing lost, over real HTTP. CI runs a small load; LOAD_FULL=1 runs the full size
 * (32 clients x 100 appends).
 */
const FULL = process.env.LOAD_FULL === '1';
const CLIENTS = FULL ? 32 : 8;
const APPENDS = FULL ? 100 : 25;

const APPEND = 'mutation($m: MessageInput!) { appendMessage(sessionId: "load", message: $m) { __typename ... on AppendMessagePayload { message { seq clientId } } } }';

/** Delays some appends past the client's timeout, so that clients retry while the first try lands. */
function slowSometimes(storage: Storage, every: number, delayMs: number): Storage {
  let calls = 0;
  const append = storage.appendMessages.bind(storage);
  storage.appendMessages = async (...args) => {
    calls += 1;
    if (calls % every === 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return append(...args);
  };
  return storage;
}

async function appendOnce(url: string, clientId: string, timeoutMs: number): Promise<{ seq: number } | 'retry' | 'gone'> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: APPEND, variables: { m: { role: 'USER', content: `from ${clientId}`, clientId } } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { data?: { appendMessage?: { __typename: string; message?: { seq: number } } } };
    const result = body.data?.appendMessage;
    if (result?.__typename !== 'AppendMessagePayload' || !result.message) throw new Error(`unexpected answer ${JSON.stringify(body)}`);
    return result.message;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'retry';
    if ((error as Error).message === 'fetch failed') return 'gone';
    throw error;
  }
}

async function stored(app: App): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = 0; ; ) {
    const page = await app.service.history('load', { first: 100, after: String(after) });
    all.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return all;
    after = all[all.length - 1]!.seq;
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe(`load over HTTP (${CLIENTS} clients x ${APPENDS} appends${FULL ? '' : '; LOAD_FULL=1 for 32 x 100'})`, () => {
  it('stores every message exactly once, seqs 1..N, while clients retry timed-out appends with the same clientId', async () => {
    const app = createApp({ storage: slowSometimes(createMemoryStorage(), 7, 400), config: { ...loadConfig({ LEAN_HTTP }), shutdownTimeoutMs: 1000 } });
    const url = await app.start(0);
    await app.service.createSession({ id: 'load' });
    let retries = 0;
    const started = Date.now();
    const seqsByClient = await Promise.all(
      range(CLIENTS).map(async (c) => {
        const seqs: number[] = [];
        for (const i of range(APPENDS)) {
          for (let attempt = 1; ; attempt++) {
            const outcome = await appendOnce(url, `c${c}-m${i}`, 200);
            if (typeof outcome === 'object') {
              seqs.push(outcome.seq);
              break;
            }
            if (outcome === 'gone' || attempt > 20) throw new Error(`append c${c}-m${i} failed: ${outcome}`);
            retries += 1;
          }
        }
        return seqs;
      }),
    );
    await app.stop();
    const messages = await stored(app);
    const total = CLIENTS * APPENDS;
    expect(messages.map((m) => m.seq)).toEqual(range(total));
    expect(new Set(messages.map((m) => m.clientId)).size).toBe(total);
    expect(seqsByClient.flat().sort((a, b) => a - b)).toEqual(range(total));
    for (const seqs of seqsByClient) expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(retries, 'the slow appends made clients retry').toBeGreaterThan(0);
    console.info(`load: ${total} messages stored once each, seqs 1..${total}, after ${retries} retries, in ${Date.now() - started} ms`);
  });

  it('loses no accepted request when the server stops gracefully in the middle', async () => {
    const storage = slowSometimes(createMemoryStorage(), 5, 150);
    const app = createApp({ storage, config: { ...loadConfig({ LEAN_HTTP }), shutdownTimeoutMs: 5000 } });
    const url = await app.start(0);
    await app.service.createSession({ id: 'load' });
    const acknowledged = new Set<string>();
    const clients = range(CLIENTS).map(async (c) => {
      for (const i of range(APPENDS * 4)) {
        const outcome = await appendOnce(url, `c${c}-m${i}`, 10_000);
        if (outcome === 'gone') return;
        if (typeof outcome === 'object') acknowledged.add(`c${c}-m${i}`);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.stop();
    await Promise.all(clients);
    const messages = await stored(app);
    expect(acknowledged.size, 'some appends were acknowledged before the stop').toBeGreaterThan(0);
    expect(new Set(messages.map((m) => m.clientId))).toEqual(acknowledged);
    expect(messages.map((m) => m.seq)).toEqual(range(messages.length));
    console.info(`shutdown under load: ${acknowledged.size} appends acknowledged before the stop, all ${messages.length} stored; nothing else stored`);
  });
});
