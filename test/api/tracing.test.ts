import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEchoProvider } from '../../providers/echo/index.js';
import { loadConfig } from '../../src/server/config.js';
import { loadTracing } from '../../src/server/tracing.js';
import type { Tracing, TracingConfig } from '../../src/server/tracing-types.js';
import { startApp, subscribe, type Running } from '../live/helpers.js';

/** A span as OTLP/HTTP's JSON encoding carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
  status?: { code?: number; message?: string };
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  links?: { traceId: string; spanId: string }[];
}
interface Export {
  resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** An OTLP/HTTP receiver: takes POST /v1/traces in JSON and keeps what it decodes. */
async function startReceiver(): Promise<{ url: string; exports: Export[]; server: Server }> {
  const exports: Export[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !req.headers['content-type']?.startsWith('application/json')) {
        res.writeHead(404).end();
        return;
      }
      exports.push(JSON.parse(body) as Export);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports, server };
}

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/**
 * A Parley tracing to a receiver of the test's own; `env` the OpenTelemetry variables besides the
 * endpoint (OTEL_TRACES_SAMPLER...), read as main.ts reads them.
 */
async function traced(
  env: Record<string, string> = {},
  more: { provider?: boolean } = {},
): Promise<{ running: Running; tracing: Tracing; spans: () => OtlpSpan[]; resource: () => Export['resourceSpans'][number]['resource'] }> {
  const receiver = await startReceiver();
  cleanups.push(() => new Promise((done) => receiver.server.close(() => done())));
  const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'parley-test', ...env }).tracing as TracingConfig;
  const tracing = await loadTracing(config);
  if (!tracing) throw new Error('no tracing');
  cleanups.push(() => tracing.shutdown());
  const running = await startApp({}, undefined, { tracing, ...(more.provider && { provider: createEchoProvider({ delayMs: 20 }) }) });
  cleanups.push(() => running.stop());
  return {
    running,
    tracing,
    spans: () => receiver.exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))),
    resource: () => receiver.exports[0]!.resourceSpans[0]!.resource,
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('traces over OTLP/HTTP', () => {
  it('sends a span per request, child of the incoming traceparent, with the phases and storage calls beneath it', async () => {
    const { running, tracing, spans, resource } = await traced();
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, 'x-request-id': 'trace-me-1' },
      body: JSON.stringify({ query: 'mutation Start { createSession(input: { title: "traced" }) { ... on Session { id } } }' }),
    });
    expect(response.status).toBe(200);
    await tracing.flush();

    const all = spans().filter((s) => s.traceId === TRACE_ID);
    const request = all.find((s) => s.parentSpanId === PARENT_ID);
    expect(request).toMatchObject({ name: 'mutation Start', kind: 2 }); // SERVER
    expect(attribute(request, 'parley.request_id')).toBe('trace-me-1');
    expect(attribute(request, 'http.request.method')).toBe('POST');
    expect(Number(attribute(request, 'http.response.status_code'))).toBe(200);
    // The response names the server's span, so that a client can find its trace.
    expect(response.headers.get('traceresponse')).toBe(`00-${TRACE_ID}-${request!.spanId}-01`);
    expect(response.headers.get('server-timing')).toBe(`traceparent;desc="00-${TRACE_ID}-${request!.spanId}-01"`);

    const children = all.filter((s) => s.parentSpanId === request!.spanId).map((s) => s.name);
    expect(children).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.execute']));
    const execute = all.find((s) => s.name === 'graphql.execute');
    expect(attribute(execute, 'graphql.operation.type')).toBe('mutation');
    expect(attribute(execute, 'graphql.operation.name')).toBe('Start');
    const storage = all.filter((s) => s.parentSpanId === execute!.spanId).map((s) => s.name);
    expect(storage).toContain('storage.createSession');
    expect(resource().attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'parley-test' } });
  });

  it('starts a new trace for a request without traceparent, and marks a failed phase', async () => {
    const { running, tracing, spans } = await traced();
    const response = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ sessions { nope } }' }) });
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const traceresponse = response.headers.get('traceresponse');
    expect(traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await tracing.flush();
    const [, traceId, spanId] = traceresponse!.split('-');
    const request = spans().find((s) => s.spanId === spanId);
    expect(request?.traceId).toBe(traceId);
    expect(request?.parentSpanId ?? '').toBe('');
    expect(attribute(request, 'parley.request_id')).toBe(response.headers.get('x-request-id'));
    const validate = spans().find((s) => s.name === 'graphql.validate' && s.parentSpanId === spanId);
    expect(validate?.status).toMatchObject({ code: 2, message: 'GRAPHQL_VALIDATION_FAILED' }); // ERROR
  });

  it('is off without an endpoint: nothing loads the SDK but tracing-sdk.ts, which only a dynamic import reaches', async () => {
    expect(await loadTracing(null)).toBeNull();
    const root = resolve(import.meta.dirname, '../..');
    const files = ['src', 'adapters', 'providers'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
    );
    const text = (file: string) => readFileSync(join(root, file), 'utf8');
    expect(files.filter((f) => /from '@opentelemetry\//.test(text(f)))).toEqual(['src/server/tracing-sdk.ts']);
    expect(files.filter((f) => /from '\.\/tracing-sdk\.js'/.test(text(f)))).toEqual([]);
  });

  it('samples as OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG say, with the SDK\'s samplers', async () => {
    const cases: { env: Record<string, string>; parent: '01' | '00' | null; sampled: boolean }[] = [
      { env: {}, parent: null, sampled: true }, // parentbased_always_on by default
      { env: {}, parent: '00', sampled: false },
      { env: {}, parent: '01', sampled: true },
      { env: { OTEL_TRACES_SAMPLER: 'always_on' }, parent: '00', sampled: true },
      { env: { OTEL_TRACES_SAMPLER: 'always_off' }, parent: '01', sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'always_off' }, parent: null, sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, parent: '01', sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, parent: '00', sampled: true },
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio' }, parent: null, sampled: true }, // the ratio is 1 by default
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, parent: null, sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, parent: '01', sampled: true },
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, parent: '00', sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, parent: null, sampled: false },
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, parent: '01', sampled: true },
    ];
    const outcomes = [];
    for (const { env, parent, sampled } of cases) {
      const { running, tracing, spans } = await traced(env);
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(parent && { traceparent: `00-${TRACE_ID}-${PARENT_ID}-${parent}` }) },
        body: JSON.stringify({ query: 'mutation Start { createSession(input: {}) { __typename } }' }),
      });
      expect(response.status).toBe(200);
      await tracing.flush();
      const names = spans().map((s) => s.name);
      outcomes.push({ env, parent, sampled: names.includes('mutation Start') && names.includes('storage.createSession'), flag: response.headers.get('traceresponse')?.slice(-2) });
      expect(outcomes.at(-1)).toEqual({ env, parent, sampled, flag: sampled ? '01' : '00' });
      await running.stop();
    }
  });

  it('traces an operation over WebSocket as a trace of its own, with its phases and storage calls beneath it', async () => {
    const { running, tracing, spans } = await traced();
    const client = running.ws();
    const created = await new Promise<{ data?: { createSession: { id: string } } }>((resolve, reject) => {
      client.subscribe({ query: 'mutation Start { createSession(input: { title: "ws" }) { ... on Session { id } } }' }, { next: resolve as never, error: reject, complete: () => {} });
    });
    const invalid = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'query Typo { sesions { __typename } }' }, { next: () => {}, error: resolve, complete: () => resolve(null) });
    });
    expect(invalid).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(created.data?.createSession.id).toBeTruthy();
    await tracing.flush();

    const start = spans().find((s) => s.name === 'mutation Start');
    expect(start).toMatchObject({ kind: 2 }); // SERVER
    expect(start?.parentSpanId ?? '').toBe('');
    expect(attribute(start, 'parley.request_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(attribute(start, 'graphql.operation.type')).toBe('mutation');
    const trace = spans().filter((s) => s.traceId === start!.traceId);
    expect(trace.filter((s) => s.parentSpanId === start!.spanId).map((s) => s.name)).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.execute']));
    const execute = trace.find((s) => s.name === 'graphql.execute');
    expect(trace.filter((s) => s.parentSpanId === execute!.spanId).map((s) => s.name)).toContain('storage.createSession');

    const typo = spans().find((s) => s.name === 'query Typo' || (s.kind === 2 && s.status?.message === 'GRAPHQL_VALIDATION_FAILED'));
    expect(typo?.status).toMatchObject({ code: 2, message: 'GRAPHQL_VALIDATION_FAILED' });
    expect(spans().find((s) => s.name === 'graphql.validate' && s.parentSpanId === typo!.spanId)?.status).toMatchObject({ code: 2 });
  });

  it('makes an operation over WebSocket a child of the traceparent in its extensions, or else of the upgrade request\'s', async () => {
    const { running, tracing, spans } = await traced();
    const run = (client: Client, query: string, extensions?: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query, ...(extensions && { extensions }) }, { next: resolve, error: reject, complete: () => {} });
      });
    // A client that cannot set headers on the upgrade (a browser) names the caller's span in the
    // subscribe message's extensions, as a `traceparent` header would.
    await run(running.ws(), 'query ByExtensions { sessions { __typename } }', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    // One that can (Node's ws) sends the header with the upgrade: every operation of that socket is its child.
    const UPGRADE_PARENT = '11f067aa0ba902b8';
    class Traced extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { traceparent: `00-${TRACE_ID}-${UPGRADE_PARENT}-01` } });
      }
    }
    const upgraded = createClient({ url: running.wsUrl, webSocketImpl: Traced, retryAttempts: 0, lazy: false });
    cleanups.push(() => upgraded.dispose() as Promise<void>);
    await run(upgraded, 'query ByUpgrade { sessions { __typename } }');
    // The extensions win over the upgrade's header; one that is not a traceparent is ignored.
    await run(upgraded, 'query Both { sessions { __typename } }', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    await run(running.ws(), 'query Broken { sessions { __typename } }', { traceparent: 'not a traceparent' });
    await tracing.flush();

    const named = (name: string) => spans().find((s) => s.name === name);
    expect(named('query ByExtensions')).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_ID, kind: 2 });
    expect(named('query ByUpgrade')).toMatchObject({ traceId: TRACE_ID, parentSpanId: UPGRADE_PARENT });
    expect(named('query Both')).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_ID });
    expect(named('query Broken')?.traceId).not.toBe(TRACE_ID);
    expect(named('query Broken')?.parentSpanId ?? '').toBe('');
    // The phases stay beneath the operation's span.
    const byExtensions = named('query ByExtensions')!;
    expect(spans().filter((s) => s.parentSpanId === byExtensions.spanId).map((s) => s.name)).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.execute']));
  });

  it('ends a subscription\'s span when it completes, or when its socket closes, not before', async () => {
    const { running, tracing, spans } = await traced();
    const created = await (
      await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { createSession(input: { messages: [{ role: USER, content: "one" }] }) { ... on Session { id } } }' }) })
    ).json() as { data: { createSession: { id: string } } };
    const id = created.data.createSession.id;
    const watch = subscribe<{ messageAdded: { seq: number } }>(running.ws(), 'subscription Watch($id: ID!) { messageAdded(sessionId: $id, afterSeq: 0) { seq } }', { id });
    const closing = running.ws();
    subscribe(closing, 'subscription Everything { sessionEvents { type } }');
    await watch.received(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tracing.flush();
    expect(spans().map((s) => s.name)).toContain('graphql.subscribe');
    expect(spans().filter((s) => s.name === 'subscription Watch' || s.name === 'subscription Everything')).toEqual([]);

    watch.unsubscribe();
    await closing.dispose();
    const ended = () => spans().filter((s) => s.name === 'subscription Watch' || s.name === 'subscription Everything').map((s) => s.name).sort();
    for (let i = 0; i < 50 && ended().length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tracing.flush();
    }
    expect(ended()).toEqual(['subscription Everything', 'subscription Watch']);
    const root = spans().find((s) => s.name === 'subscription Watch')!;
    const trace = spans().filter((s) => s.traceId === root.traceId);
    expect(trace.find((s) => s.name === 'graphql.subscribe')?.parentSpanId).toBe(root.spanId);
    // The replay after seq 0 reads storage, inside the subscription's trace.
    expect(trace.map((s) => s.name)).toContain('storage.listMessages');
  });

  it('gives a run a span of its own, linked to the request that started it, with its storage and model calls beneath it', async () => {
    const { running, tracing, spans } = await traced({}, { provider: true });
    const post = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) }).then((r) => r.json() as Promise<{ data: Record<string, any> }>);
    const session = (await post('mutation { createSession(input: {}) { ... on Session { id } } }')).data.createSession.id as string;
    const sent = await post(
      'mutation Send($s: ID!) { sendMessage(sessionId: $s, message: { content: "hello there" }) { ... on SendMessagePayload { run { id } } } }',
      { s: session },
      { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    );
    const runId = sent.data.sendMessage.run.id as string;
    const isRun = (s: OtlpSpan) => s.name === 'run' && attribute(s, 'parley.run.id') === runId;
    for (let i = 0; i < 100 && !spans().some(isRun); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tracing.flush();
    }
    const run = spans().find(isRun);
    expect(run).toBeDefined();
    expect(attribute(run, 'parley.run.status')).toBe('SUCCEEDED');
    const request = spans().find((s) => s.traceId === TRACE_ID && s.parentSpanId === PARENT_ID);
    expect(request?.name).toBe('mutation Send');
    // A trace of its own, linked to the request's: the run outlives the request that started it.
    expect(run!.traceId).not.toBe(TRACE_ID);
    expect(run!.links?.map((l) => l.traceId)).toEqual([TRACE_ID]);
    const beneath = spans().filter((s) => s.parentSpanId === run!.spanId);
    expect(beneath.map((s) => s.name)).toEqual(expect.arrayContaining(['storage.updateRun', 'storage.listMessages', 'storage.appendMessages', 'chat echo']));
    const chat = beneath.find((s) => s.name === 'chat echo');
    expect(chat).toMatchObject({ kind: 3 }); // CLIENT
    expect(attribute(chat, 'gen_ai.operation.name')).toBe('chat');
    expect(Number(attribute(chat, 'gen_ai.usage.output_tokens'))).toBeGreaterThan(0);

    // No span is left under a parent that had already ended (the request's execute phase, before).
    // The SDK stamps a span's start to the millisecond (its end is start + duration): 2 ms of slack.
    const byId = new Map(spans().map((s) => [s.spanId, s]));
    const SLACK = 2_000_000n;
    const orphans = spans().filter((s) => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return parent !== undefined && BigInt(parent.endTimeUnixNano) + SLACK < BigInt(s.endTimeUnixNano);
    });
    expect(orphans.map((s) => `${s.name} under ${byId.get(s.parentSpanId!)!.name}`)).toEqual([]);
    expect(BigInt(run!.endTimeUnixNano) + SLACK).toBeGreaterThanOrEqual(BigInt(beneath.find((s) => s.name === 'storage.appendMessages')!.endTimeUnixNano));
  });
});
