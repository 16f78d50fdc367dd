import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible/index.js';
import { ConflictError, LimitExceededError } from '../../src/core/errors.js';
import type { Limits } from '../../src/core/limits.js';
import type { Run, RunEvent } from '../../src/core/run.js';
import { createSessionService, type SessionService } from '../../src/core/service/index.js';
import { localRunChannel, type RunOptions } from '../../src/core/service/runs.js';
import type { Storage } from '../../src/core/storage.js';
import { newRun } from '../contract/runs.js';
import { startOpenAIServer, type OpenAIServer } from '../providers/openai-server.js';

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());

const services: SessionService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stopRuns()));
  server.received.length = 0;
});

function setup(options: { limits?: Partial<Limits>; runs?: Partial<RunOptions>; storage?: Storage } = {}) {
  const storage = options.storage ?? createMemoryStorage();
  const channel = localRunChannel();
  const events: RunEvent[] = [];
  channel.subscribe((event) => events.push(event));
  const errors: unknown[] = [];
  const service = createSessionService({
    storage,
    limits: options.limits,
    runs: {
      provider: createOpenAICompatibleProvider({ baseURL: server.baseURL, maxRetries: 0, defaultModel: 'test-model' }),
      channel,
      onError: (error) => errors.push(error),
      ...options.runs,
    },
  });
  services.push(service);
  return { service, storage, channel, events, errors };
}

/** Polls the run until it is over. */
async function ended(service: SessionService, id: string, ms = 5000): Promise<Run> {
  const until = Date.now() + ms;
  for (;;) {
    const run = await service.getRun(id);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('runs', () => {
  it('answers a sent message: deltas with dense offsets, then END with the stored assistant message', async () => {
    server.script({ tokens: ['Bom', ' dia', '!'], usage: { prompt_tokens: 12, completion_tokens: 3 } });
    const { service, events } = setup();
    const session = await service.createSession({ systemPrompt: 'Be brief.', model: 'small' });
    const { message, run } = await service.sendMessage(session.id, { message: { content: 'Good morning in Portuguese?' } });
    expect(message).toMatchObject({ role: 'USER', seq: 1, content: 'Good morning in Portuguese?' });
    expect(run).toMatchObject({ sessionId: session.id, inputSeq: 1, status: 'RUNNING' });
    const done = await ended(service, run.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', outputSeq: 2, finishReason: 'STOP', usage: { promptTokens: 12, completionTokens: 3 }, error: null, eventCount: 4 });
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => [e.type, e.offset])).toEqual([['DELTA', 1], ['DELTA', 2], ['DELTA', 3], ['END', 4]]);
    const end = mine.at(-1) as Extract<RunEvent, { type: 'END' }>;
    expect(end.message).toMatchObject({ role: 'ASSISTANT', seq: 2, content: 'Bom dia!' });
    expect(end.message?.metadata).toMatchObject({ run: { id: run.id, model: 'small', finishReason: 'STOP', usage: { promptTokens: 12, completionTokens: 3 } } });
    const page = await service.history(session.id);
    expect(page.edges.map((e) => [e.node.role, e.node.content])).toEqual([
      ['USER', 'Good morning in Portuguese?'],
      ['ASSISTANT', 'Bom dia!'],
    ]);
    // The prompt: the system prompt first, then the history; the session's model.
    expect(server.received[0]?.body).toMatchObject({
      model: 'small',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Good morning in Portuguese?' },
      ],
    });
    expect(await service.activeRun(session.id)).toBeNull();
  });

  it('starts one run for a sendMessage retried with the same clientId', async () => {
    server.script({ tokens: ['once'] , delayMs: 20 });
    const { service } = setup();
    const session = await service.createSession();
    const input = { message: { content: 'hi', clientId: 'c-1' } };
    const [a, b] = await Promise.all([service.sendMessage(session.id, input), service.sendMessage(session.id, input).catch((e: unknown) => e)]);
    const first = a.run;
    await ended(service, first.id);
    const again = await service.sendMessage(session.id, input);
    expect(again.run.id).toBe(first.id);
    expect(again.message.id).toBe(a.message.id);
    expect(b).toMatchObject({ run: { id: first.id } });
    const runs = await service.sessionRuns(session.id, 10);
    expect(runs).toHaveLength(1);
    const page = await service.history(session.id);
    expect(page.edges.map((e) => e.node.role)).toEqual(['USER', 'ASSISTANT']);
    expect(server.received).toHaveLength(1);
  });

  it('a retry racing the first call gets the first run, not RUN_ACTIVE, even when it finds the slot taken', async () => {
    server.script({ tokens: ['once'], delayMs: 20 });
    // The retry looks for the clientId before the first call created its run, and at the slot
    // after the first call took it: storage is slowed just enough to make that order certain.
    const inner = createMemoryStorage();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let retry: Promise<unknown> | null = null;
    let startRetry = () => {};
    const storage = new Proxy(inner, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key === 'appendMessages') {
          return async (...args: unknown[]) => {
            startRetry();
            await sleep(20);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (key === 'getSlot') {
          return async (...args: unknown[]) => {
            await sleep(40);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return value;
      },
    }) as Storage;
    const { service } = setup({ storage });
    const session = await service.createSession();
    const input = { message: { content: 'hi', clientId: 'c-race' } };
    startRetry = () => {
      startRetry = () => {};
      retry = service.sendMessage(session.id, input).catch((e: unknown) => e);
    };
    const first = await service.sendMessage(session.id, input);
    const second = await retry;
    expect(second).not.toBeInstanceOf(Error);
    expect(second).toMatchObject({ run: { id: first.run.id }, message: { id: first.message.id } });
    await ended(service, first.run.id);
    expect(await service.sessionRuns(session.id, 10)).toHaveLength(1);
    expect((await service.history(session.id)).edges.map((e) => e.node.role)).toEqual(['USER', 'ASSISTANT']);
  });

  it('REJECT (the default) refuses a second run with ConflictError RUN_ACTIVE and appends nothing', async () => {
    server.script({ tokens: ['a', 'b', 'c'], delayMs: 100 });
    const { service } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'first' } });
    const refused = await service.sendMessage(session.id, { message: { content: 'second' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ reason: 'RUN_ACTIVE' });
    expect((await service.getSession(session.id)).messageCount).toBe(1);
    expect((await service.activeRun(session.id))?.id).toBe(run.id);
    await ended(service, run.id);
  });

  it('ENQUEUE waits for the running run, then answers with the history up to its own message', async () => {
    server.script({ tokens: ['one'], delayMs: 100 }, { tokens: ['two'], delayMs: 10 });
    const { service } = setup();
    const session = await service.createSession();
    const first = await service.sendMessage(session.id, { message: { content: 'first' } });
    const second = await service.sendMessage(session.id, { message: { content: 'second' }, run: { strategy: 'ENQUEUE' } });
    expect(second.run.status).toBe('QUEUED');
    const [a, b] = [await ended(service, first.run.id), await ended(service, second.run.id)];
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect((b.startedAt as Date).getTime()).toBeGreaterThanOrEqual((a.endedAt as Date).getTime());
    // The first run saw only the first message; the second saw everything up to its own message.
    const prompts = server.received.map((r) => (r.body.messages as { content: string }[]).map((m) => m.content));
    expect(prompts).toEqual([['first'], ['first', 'second']]);
    const page = await service.history(session.id);
    expect(page.edges.map((e) => `${e.node.role}:${e.node.content}`)).toEqual(['USER:first', 'USER:second', 'ASSISTANT:one', 'ASSISTANT:two']);
  });

  it('INTERRUPT cancels the running run (keeping its partial reply, marked incomplete) and runs the new one', async () => {
    server.script({ tokens: ['slow', ' and', ' long', ' reply'], delayMs: 150 }, { tokens: ['fresh'] });
    const { service } = setup();
    const session = await service.createSession();
    const first = await service.sendMessage(session.id, { message: { content: 'first' } });
    await until(async () => (await service.getRun(first.run.id)).status === 'RUNNING' && server.openStreams > 0);
    await new Promise((r) => setTimeout(r, 200));
    const second = await service.sendMessage(session.id, { message: { content: 'second' }, run: { strategy: 'INTERRUPT' } });
    const a = await ended(service, first.run.id);
    const b = await ended(service, second.run.id);
    expect(a.status).toBe('CANCELLED');
    expect(b.status).toBe('SUCCEEDED');
    const page = await service.history(session.id);
    const partial = page.edges.find((e) => e.node.metadata.run && (e.node.metadata.run as { id: string }).id === a.id)?.node;
    expect(partial?.content.startsWith('slow')).toBe(true);
    expect(partial?.metadata.run).toMatchObject({ incomplete: true, status: 'CANCELLED' });
    expect(page.edges.at(-1)?.node.content).toBe('fresh');
  });

  it('cancelRun stops a run within a second, aborts the provider request, and returns it CANCELLED', async () => {
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => `t${i} `), delayMs: 50 });
    const { service, events } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'talk' } });
    await until(() => events.some((e) => e.runId === run.id && e.type === 'DELTA' && e.offset >= 2));
    const closedBefore = server.closedEarly;
    const started = performance.now();
    const cancelled = await service.cancelRun(run.id);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cancelled.status).toBe('CANCELLED');
    await until(() => server.closedEarly > closedBefore);
    const end = events.find((e) => e.runId === run.id && e.type === 'END');
    expect(end?.offset).toBe(events.filter((e) => e.runId === run.id && e.type === 'DELTA').length + 1);
    // A run that is over is returned as it is.
    expect((await service.cancelRun(run.id)).status).toBe('CANCELLED');
  });

  it('cancels a queued run at once, and the next one runs', async () => {
    server.script({ tokens: ['a', 'b'], delayMs: 100 }, { tokens: ['c'] });
    const { service } = setup();
    const session = await service.createSession();
    const first = await service.sendMessage(session.id, { message: { content: '1' } });
    const second = await service.startRun(session.id, { strategy: 'ENQUEUE' });
    const third = await service.startRun(session.id, { strategy: 'ENQUEUE' });
    expect((await service.cancelRun(second.id)).status).toBe('CANCELLED');
    expect((await ended(service, first.run.id)).status).toBe('SUCCEEDED');
    expect((await ended(service, third.id)).status).toBe('SUCCEEDED');
    expect((await service.getRun(second.id)).startedAt).toBeNull();
  });

  it('records a provider failure as a typed error (never INTERNAL) and stores no message', async () => {
    server.script({ status: 500, message: 'upstream exploded' });
    const { service, errors } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'hi' } });
    const done = await ended(service, run.id);
    expect(done.status).toBe('FAILED');
    expect(done.error?.code).toBe('UNAVAILABLE');
    expect((await service.getSession(session.id)).messageCount).toBe(1);
    expect(errors).toEqual([]);
  });

  it('keeps what was generated before a connection drop, marked incomplete, with the provider error', async () => {
    server.script({ tokens: ['half', ' of', ' it', ' and', ' more'], dropAfter: 2 });
    const { service } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'hi' } });
    const done = await ended(service, run.id);
    expect(done.status).toBe('FAILED');
    expect(['UNAVAILABLE', 'BAD_RESPONSE']).toContain(done.error?.code);
    const page = await service.history(session.id);
    expect(page.edges.at(-1)?.node).toMatchObject({ role: 'ASSISTANT', content: 'half of', metadata: { run: { incomplete: true, status: 'FAILED' } } });
  });

  it('fails with NOT_CONFIGURED when no provider is configured; everything else works', async () => {
    const { service } = setup({ runs: { provider: undefined } });
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'hi' } });
    const done = await ended(service, run.id);
    expect(done.error).toMatchObject({ code: 'NOT_CONFIGURED' });
    expect((await service.history(session.id)).totalCount).toBe(1);
  });

  it('enforces RUN_TIMEOUT_MS: a run that hangs ends FAILED with RUN_TIMEOUT', async () => {
    server.script({ tokens: ['start', 'never'], hangAfter: 1 });
    const { service } = setup({ limits: { runTimeoutMs: 300 } });
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'hi' } });
    const done = await ended(service, run.id);
    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'RUN_TIMEOUT' } });
    const page = await service.history(session.id);
    expect(page.edges.at(-1)?.node).toMatchObject({ content: 'start', metadata: { run: { incomplete: true } } });
  });

  it('refuses past MAX_TURNS_PER_SESSION with a LimitExceededError naming it, appending nothing', async () => {
    server.script({ tokens: ['ok'] });
    const { service } = setup({ limits: { maxTurnsPerSession: 1 } });
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'one' } });
    await ended(service, run.id);
    const refused = await service.sendMessage(session.id, { message: { content: 'two' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect((refused as LimitExceededError).limit).toBe('maxTurnsPerSession');
    expect((await service.getSession(session.id)).messageCount).toBe(2);
  });

  it('refuses past MAX_RUNS_PER_OWNER and MAX_RUNS_PER_INSTANCE', async () => {
    server.script({ tokens: ['a', 'b'], delayMs: 150 });
    const { service } = setup({ limits: { maxRunsPerOwner: 1, maxRunsPerInstance: 2 } });
    const [s1, s2, s3, s4] = await Promise.all([
      service.createSession({ ownerId: 'ann' }),
      service.createSession({ ownerId: 'ann' }),
      service.createSession({ ownerId: 'bob' }),
      service.createSession({ ownerId: 'cy' }),
    ]);
    const r1 = await service.sendMessage(s1!.id, { message: { content: 'x' } });
    const owner = await service.sendMessage(s2!.id, { message: { content: 'x' } }).catch((e: unknown) => e);
    expect((owner as LimitExceededError).limit).toBe('maxRunsPerOwner');
    const r3 = await service.sendMessage(s3!.id, { message: { content: 'x' } });
    const instance = await service.sendMessage(s4!.id, { message: { content: 'x' } }).catch((e: unknown) => e);
    expect((instance as LimitExceededError).limit).toBe('maxRunsPerInstance');
    expect((await service.getSession(s2!.id)).messageCount).toBe(0);
    await Promise.all([ended(service, r1.run.id), ended(service, r3.run.id)]);
  });

  it('asks for at most MAX_OUTPUT_TOKENS, whatever the run asks for', async () => {
    server.script({ tokens: ['ok'] });
    const { service } = setup({ limits: { maxOutputTokens: 50 } });
    const session = await service.createSession();
    const a = await service.sendMessage(session.id, { message: { content: 'x' }, run: { maxOutputTokens: 10_000, temperature: 0.5 } });
    await ended(service, a.run.id);
    const b = await service.startRun(session.id, { maxOutputTokens: 20 });
    await ended(service, b.id);
    const asked = server.received.map((r) => r.body.max_tokens ?? r.body.max_completion_tokens);
    expect(asked).toEqual([50, 20]);
    expect(server.received[0]?.body.temperature).toBe(0.5);
  });

  it('sends only the prompt window of a long session, newest messages, system prompt first', async () => {
    server.script({ tokens: ['ok'] });
    const { service } = setup({ runs: { window: { maxMessages: 10, maxTokens: 100_000 } } });
    const session = await service.createSession({ systemPrompt: 'sys' });
    for (let i = 0; i < 5; i++) {
      await service.appendMessages(session.id, { messages: Array.from({ length: 100 }, (_, j) => ({ role: 'USER' as const, content: `m${i * 100 + j + 1}` })) });
    }
    const run = await service.startRun(session.id);
    await ended(service, run.id);
    const sent = (server.received[0]?.body.messages as { content: string }[]).map((m) => m.content);
    expect(sent).toEqual(['sys', ...Array.from({ length: 10 }, (_, i) => `m${491 + i}`)]);
  });

  it('marks a run whose instance died FAILED (LEASE_EXPIRED) once its lease expires, and frees the session', async () => {
    const storage = createMemoryStorage();
    const { service: survivor, events } = setup({ storage, runs: { leaseMs: 200 } });
    const session = await survivor.createSession();
    // What a dead instance leaves behind: a RUNNING run holding the slot, its lease never renewed.
    const dead = newRun('run-of-a-dead-instance', session.id, {
      status: 'RUNNING', eventCount: 3, createdAt: new Date(Date.now() - 1000), startedAt: new Date(Date.now() - 1000),
      leaseOwner: 'gone', leaseExpiresAt: new Date(Date.now() - 10), version: 2,
    });
    await storage.createRun(dead);
    expect(await storage.moveSlot(session.id, null, dead.id)).toBe(true);
    expect(await survivor.sweepRuns()).toBe(1);
    const run = await survivor.getRun(dead.id);
    expect(run).toMatchObject({ status: 'FAILED', error: { code: 'LEASE_EXPIRED' } });
    expect(events.find((e) => e.runId === dead.id)).toMatchObject({ type: 'END', offset: 4 });
    expect(await survivor.activeRun(session.id)).toBeNull();
    expect(await survivor.sweepRuns()).toBe(0);
  });

  it('starts a queued run that was handed the slot by an instance that died before starting it', async () => {
    server.script({ tokens: ['late', ' but', ' here'] });
    const storage = createMemoryStorage();
    const { service: survivor } = setup({ storage, runs: { leaseMs: 200 } });
    const session = await survivor.createSession();
    const { session: withMessage } = await survivor.appendMessages(session.id, { messages: [{ role: 'USER', content: 'anyone?' }] });
    // What the dead instance left: a QUEUED run holding the slot, created longer than a lease ago.
    const stalled = newRun('run-handed-over-then-orphaned', session.id, { inputSeq: withMessage.lastSeq, createdAt: new Date(Date.now() - 1000) });
    await storage.createRun(stalled);
    expect(await storage.moveSlot(session.id, null, stalled.id)).toBe(true);
    const refused = await survivor.sendMessage(session.id, { message: { content: 'hello?' } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ reason: 'RUN_ACTIVE' });
    await survivor.sweepRuns();
    expect(await ended(survivor, stalled.id)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await survivor.history(session.id)).edges.map((e) => e.node.content)).toEqual(['anyone?', 'late but here']);
    expect(await survivor.activeRun(session.id)).toBeNull();
    // A run that got the slot a moment ago is left to its own instance.
    server.script({ tokens: ['x'] });
    const fresh = { ...stalled, id: 'run-just-handed-over', createdAt: new Date() };
    await storage.createRun(fresh);
    expect(await storage.moveSlot(session.id, null, fresh.id)).toBe(true);
    await survivor.sweepRuns();
    expect(await survivor.getRun(fresh.id)).toMatchObject({ status: 'QUEUED' });
  });

  it('keeps renewing the lease of a long run, so a sweep elsewhere leaves it alone', async () => {
    server.script({ tokens: ['a', 'b', 'c', 'd', 'e'], delayMs: 100 });
    const storage = createMemoryStorage();
    const { service: a } = setup({ storage, runs: { leaseMs: 150 } });
    const { service: b } = setup({ storage, runs: { leaseMs: 150 } });
    const session = await a.createSession();
    const { run } = await a.sendMessage(session.id, { message: { content: 'x' } });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await b.sweepRuns();
    }
    expect((await ended(a, run.id)).status).toBe('SUCCEEDED');
  });

  it('an instance that cannot renew its lease stops before the lease runs out, and another ends the run after it', async () => {
    server.script({ tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), delayMs: 10 });
    const shared = createMemoryStorage();
    let partitioned = false;
    const cut = new Proxy(shared, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (partitioned ? Promise.reject(new Error('partitioned')) : (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    const channel = localRunChannel();
    const events: RunEvent[] = [];
    channel.subscribe((event) => events.push(event));
    const a = createSessionService({ storage: cut, runs: { provider: createOpenAICompatibleProvider({ baseURL: server.baseURL, maxRetries: 0, defaultModel: 'm' }), channel, leaseMs: 300 } });
    const b = createSessionService({ storage: shared, runs: { channel, leaseMs: 300 } });
    services.push(a, b);
    const session = await b.createSession();
    const { run } = await a.sendMessage(session.id, { message: { content: 'x' } });
    await until(() => events.filter((e) => e.runId === run.id).length >= 3);
    partitioned = true;
    const cutAt = Date.now();
    // a lets go within two thirds of a lease of its last renewal: no delta after that.
    await new Promise((r) => setTimeout(r, 350));
    const stoppedAt = events.filter((e) => e.runId === run.id).length;
    await new Promise((r) => setTimeout(r, 100));
    expect(events.filter((e) => e.runId === run.id).length).toBe(stoppedAt);
    expect(Date.now() - cutAt).toBeGreaterThan(300);
    expect(await b.sweepRuns()).toBe(1);
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => e.offset)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.at(-1)).toMatchObject({ type: 'END', run: { status: 'FAILED', error: { code: 'LEASE_EXPIRED' } } });
    partitioned = false;
  });

  it('cancels from another instance sharing the storage and the channel', async () => {
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => `t${i} `), delayMs: 50 });
    const storage = createMemoryStorage();
    const channel = localRunChannel();
    const { service: a } = setup({ storage, runs: { channel } });
    const { service: b } = setup({ storage, runs: { channel } });
    const session = await a.createSession();
    const { run } = await a.sendMessage(session.id, { message: { content: 'x' } });
    await until(async () => (await a.getRun(run.id)).status === 'RUNNING');
    await new Promise((r) => setTimeout(r, 120));
    const started = performance.now();
    const cancelled = await b.cancelRun(run.id);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cancelled.status).toBe('CANCELLED');
  });

  it('stopRuns ends this instance\'s runs as FAILED (SERVER_STOPPED), keeping their partial replies', async () => {
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => `t${i} `), delayMs: 30 });
    const { service, events } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'x' } });
    await until(() => events.some((e) => e.runId === run.id && e.type === 'DELTA'));
    await service.stopRuns();
    expect(await service.getRun(run.id)).toMatchObject({ status: 'FAILED', error: { code: 'SERVER_STOPPED' } });
    expect((await service.getSession(session.id)).messageCount).toBe(2);
  });

  it('validates run input: a bad temperature is a ValidationError and nothing is written', async () => {
    const { service } = setup();
    const session = await service.createSession();
    const refused = await service.sendMessage(session.id, { message: { content: 'x' }, run: { temperature: 7 } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await service.getSession(session.id)).messageCount).toBe(0);
    expect(await service.sessionRuns(session.id, 10)).toEqual([]);
  });

  it("puts the session's persona into the run's system prompt", async () => {
    server.script({ tokens: ['ok'] });
    const { service } = setup();
    await service.upsertUser({ id: 'ana', name: 'Ana', profile: 'A retired tram driver from Lisbon.', vector: [0.25, -1, 3] });
    const session = await service.createSession({ systemPrompt: 'Be kind.', personaId: 'ana' });
    const { run } = await service.sendMessage(session.id, { message: { content: 'hello' } });
    await ended(service, run.id);
    const system = (server.received[0]?.body.messages as { role: string; content: string }[])[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Be kind.');
    expect(system?.content).toContain('Ana');
    expect(system?.content).toContain('A retired tram driver from Lisbon.');
    expect((await service.getUser('ana')).vector).toEqual([0.25, -1, 3]);
  });

  it('a copy keeps the persona for the same owner, and leaves it behind for another', async () => {
    const { service } = setup();
    await service.upsertUser({ id: 'ana', name: 'Ana' });
    const session = await service.createSession({ ownerId: 'ana', personaId: 'ana' });
    expect((await service.copySession(session.id)).personaId).toBe('ana');
    expect((await service.copySession(session.id, { ownerId: 'bob' })).personaId).toBeNull();
  });

  it('refuses a persona that is no stored profile, and a vector past MAX_VECTOR_LENGTH, changing nothing', async () => {
    const { service } = setup({ limits: { maxVectorLength: 2 } });
    await expect(service.createSession({ personaId: 'nobody' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ path: ['personaId'] }] });
    expect(await service.countSessions()).toBe(0);
    await expect(service.upsertUser({ id: 'v', name: 'V', vector: [1, 2, 3] })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxVectorLength' });
    expect(await service.findUser('v')).toBeNull();
  });

  it('summarizeSession stores the model\'s summary and the seq it covers', async () => {
    server.script({ tokens: ['They', ' planned', ' a trip.'] });
    const { service } = setup();
    const session = await service.createSession({ messages: [{ role: 'USER', content: 'Lisbon in May?' }, { role: 'ASSISTANT', content: 'Yes, go.' }] });
    const summarized = await service.summarizeSession(session.id);
    expect(summarized).toMatchObject({ summary: 'They planned a trip.', summarizedUpToSeq: 2, version: 2 });
    const asked = server.received[0]?.body.messages as { role: string; content: string }[];
    expect(asked.at(-1)?.content).toContain('USER: Lisbon in May?');
    expect(asked.at(-1)?.content).toContain('ASSISTANT: Yes, go.');
  });

  it("a summary goes into Parley's export and comes back on import", async () => {
    server.script({ tokens: ['A short chat.'] });
    const { service } = setup();
    const session = await service.createSession({ messages: [{ role: 'USER', content: 'hi' }] });
    await service.summarizeSession(session.id);
    const doc = (await service.exportSession(session.id)) as { session: { summary: string | null; summarizedUpToSeq: number | null } };
    expect(doc.session).toMatchObject({ summary: 'A short chat.', summarizedUpToSeq: 1 });
    const copy = await service.importSession(doc, { newId: 'restored' });
    expect(copy).toMatchObject({ summary: 'A short chat.', summarizedUpToSeq: 1 });
    // Documents written before summaries existed still import.
    const { summary: _s, summarizedUpToSeq: _u, ...older } = doc.session;
    expect(await service.importSession({ ...doc, session: older }, { newId: 'older' })).toMatchObject({ summary: null });
  });

  it('summarizeSession without a provider fails with ModelError NOT_CONFIGURED and changes nothing', async () => {
    const { service } = setup({ runs: { provider: undefined } });
    const session = await service.createSession({ messages: [{ role: 'USER', content: 'hi' }] });
    await expect(service.summarizeSession(session.id)).rejects.toMatchObject({ name: 'ModelError', reason: 'NOT_CONFIGURED' });
    expect(await service.getSession(session.id)).toMatchObject({ summary: null, version: 1 });
  });

  it('simulateTurns writes the persona\'s messages and the replies, roles swapped for the persona\'s side', async () => {
    server.script({ tokens: ['Is tram 28 worth it?'] }, { tokens: ['Yes, early.'] }, { tokens: ['And Belem?'] }, { tokens: ['In the afternoon.'] });
    const { service } = setup();
    await service.upsertUser({ id: 'tom', name: 'Tom', profile: 'A first-time visitor who asks short questions.' });
    const session = await service.createSession({ systemPrompt: 'You are a travel guide.' });
    const { messages } = await service.simulateTurns(session.id, { personaId: 'tom', turns: 2 });
    expect(messages.map((m) => `${m.role}:${m.content}`)).toEqual(['USER:Is tram 28 worth it?', 'ASSISTANT:Yes, early.', 'USER:And Belem?', 'ASSISTANT:In the afternoon.']);
    expect(messages.every((m) => (m.metadata.simulated as { personaId: string }).personaId === 'tom')).toBe(true);
    const [firstUser, , secondUser, secondReply] = server.received.map((r) => r.body.messages as { role: string; content: string }[]);
    expect(firstUser?.[0]?.content).toContain('You are Tom.');
    // The persona sees the assistant's reply as what was said to it.
    expect(secondUser?.slice(1)).toEqual([
      { role: 'assistant', content: 'Is tram 28 worth it?' },
      { role: 'user', content: 'Yes, early.' },
    ]);
    expect(secondReply?.[0]).toMatchObject({ role: 'system' });
    expect(secondReply?.[0]?.content).toContain('You are a travel guide.');
    expect(secondReply?.at(-1)).toEqual({ role: 'user', content: 'And Belem?' });
    expect((await service.getSession(session.id)).messageCount).toBe(4);
  });

  it('simulateTurns refuses past MAX_SIMULATED_TURNS and for a persona that does not exist', async () => {
    const { service } = setup();
    const session = await service.createSession();
    await expect(service.simulateTurns(session.id, { personaId: 'ghost', turns: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await service.upsertUser({ id: 'p', name: 'P' });
    await expect(service.simulateTurns(session.id, { personaId: 'p', turns: 21 })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxSimulatedTurns' });
    expect((await service.getSession(session.id)).messageCount).toBe(0);
  });

  it("keeps runs, personas and summaries to their owner: another owner's read as not found", async () => {
    server.script({ tokens: ['ok'], delayMs: 50 });
    const { service } = setup();
    const { scopeService } = await import('../../src/core/service/scoped.js');
    const alice = scopeService(service, { admin: false, ownerId: 'alice' });
    const bob = scopeService(service, { admin: false, ownerId: 'bob' });
    await alice.upsertUser({ name: 'Alice' });
    const session = await alice.createSession({ personaId: 'alice' });
    const { run } = await alice.sendMessage(session.id, { message: { content: 'hi' } });
    await expect(bob.getRun(run.id)).rejects.toMatchObject({ code: 'NOT_FOUND', entity: 'Run' });
    expect(await bob.findRun(run.id)).toBeNull();
    await expect(bob.cancelRun(run.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bob.startRun(session.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bob.summarizeSession(session.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bob.createSession({ personaId: 'alice' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(bob.createSession({ personaId: 'nobody' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await alice.getRun(run.id)).id).toBe(run.id);
    await ended(service, run.id);
  });
});


describe('runs whose session goes away', () => {
  it('ends the run (its subscribers get an END) when its session is deleted mid-reply', async () => {
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => `t${i} `), delayMs: 20 });
    const { service, events } = setup();
    const session = await service.createSession();
    const { run } = await service.sendMessage(session.id, { message: { content: 'x' } });
    await until(() => events.some((e) => e.runId === run.id && e.type === 'DELTA'));
    await service.deleteSession(session.id);
    await until(() => events.some((e) => e.runId === run.id && e.type === 'END'), 3000);
    const mine = events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => e.offset)).toEqual(mine.map((_, i) => i + 1));
    expect(mine.at(-1)).toMatchObject({ type: 'END', run: { status: 'CANCELLED' }, message: null });
    expect(await service.findRun(run.id)).toBeNull();
  });
});
