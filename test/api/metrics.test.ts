import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createEchoProvider } from '../../providers/echo/index.js';
import type { AppConfig } from '../../src/server/app.js';
import { startApp, subscribe, type Running } from '../live/helpers.js';
import { TEST_CONFIG } from './client.js';
import { metricsUrl, sample, scrape } from './metrics-sample.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(metrics: Partial<AppConfig['metrics']> = {}): Promise<Running> {
  running = await startApp({ metrics: { ...TEST_CONFIG.metrics, enabled: true, ...metrics } }, undefined, { provider: createEchoProvider({ delayMs: 5 }) });
  return running;
}

async function gql(r: Running, query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const response = await fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, operationName }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

const eventually = async (check: () => Promise<boolean>, ms = 5000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('/metrics', () => {
  it('counts a query by its operation name and outcome, and times it', async () => {
    const r = await start();
    const labels = { operation_type: 'query', operation_name: 'CountSessions', outcome: 'ok' };
    expect(sample(await scrape(r), 'parley_graphql_requests_total', labels)).toBe(0);
    await gql(r, 'query CountSessions { sessions { ... on SessionConnection { totalCount } } }');
    await gql(r, 'query CountSessions { sessions { ... on SessionConnection { totalCount } } }');
    const text = await scrape(r);
    expect(sample(text, 'parley_graphql_requests_total', labels)).toBe(2);
    expect(sample(text, 'parley_graphql_request_duration_seconds_count', { operation_type: 'query', operation_name: 'CountSessions' })).toBe(2);
    expect(sample(text, 'parley_graphql_requests_in_flight')).toBe(0);
    expect(text).toContain('# TYPE parley_graphql_request_duration_seconds histogram');
  });

  it('counts errors by code, and the request by its first error code', async () => {
    const r = await start();
    const body = await gql(r, 'query Broken { sessions { nope } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const text = await scrape(r);
    expect(sample(text, 'parley_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'parley_graphql_requests_total', { operation_type: 'query', operation_name: 'Broken', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    await gql(r, '{ sessions { ');
    const after = await scrape(r);
    expect(sample(after, 'parley_graphql_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(sample(after, 'parley_graphql_requests_total', { operation_type: 'unknown', operation_name: 'anonymous', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    // A document that does not parse, sent with an operation name: counted and timed under that name.
    await gql(r, 'query Torn { sessions { ', {}, 'Torn');
    const named = await scrape(r);
    expect(sample(named, 'parley_graphql_requests_total', { operation_type: 'unknown', operation_name: 'Torn', outcome: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(sample(named, 'parley_graphql_phase_duration_seconds_count', { phase: 'parse', operation_name: 'Torn' })).toBe(1);
  });

  it('counts a request refused before GraphQL by its HTTP status, and it is no longer in flight', async () => {
    const r = await start();
    const refused = await fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ ${'x'.repeat(9 * 1024 * 1024)} }` }) });
    expect(refused.status).toBe(413);
    const text = await scrape(r);
    expect(sample(text, 'parley_graphql_requests_total', { operation_type: 'unknown', operation_name: 'anonymous', outcome: 'HTTP_413' })).toBe(1);
    expect(sample(text, 'parley_graphql_requests_in_flight')).toBe(0);
  });

  it('keeps label values bounded: an operation name that is not a plain identifier of 64 characters at most is "other"', async () => {
    const r = await start();
    const long = `Q${'x'.repeat(80)}`;
    await gql(r, `query ${long} { sessions { ... on SessionConnection { totalCount } } }`);
    await gql(r, 'query Fine { sessions { ... on SessionConnection { totalCount } } }', {}, 'Fine');
    const text = await scrape(r);
    expect(text).not.toContain(long);
    expect(sample(text, 'parley_graphql_requests_total', { operation_type: 'query', operation_name: 'other', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'parley_graphql_requests_total', { operation_type: 'query', operation_name: 'Fine', outcome: 'ok' })).toBe(1);
  });

  it('shows a subscription open by its field while it runs, and not after it ends', async () => {
    const r = await start();
    const session = await r.app.service.createSession({ title: 'metrics' });
    const added = subscribe(r.ws(), 'subscription Watch($s: ID!) { messageAdded(sessionId: $s) { seq } }', { s: session.id });
    await eventually(async () => sample(await scrape(r), 'parley_subscriptions_open', { field: 'messageAdded' }) === 1);
    added.unsubscribe();
    await eventually(async () => sample(await scrape(r), 'parley_subscriptions_open', { field: 'messageAdded' }) === 0);
    expect(sample(await scrape(r), 'parley_graphql_requests_total', { operation_type: 'subscription', operation_name: 'Watch', outcome: 'ok' })).toBe(1);
  });

  it('counts a run by its final status, its time to first token and its tokens', async () => {
    const r = await start();
    const session = await r.app.service.createSession({ title: 'metrics' });
    const sent = await gql(r, `mutation($s: ID!) { sendMessage(sessionId: $s, message: { content: "hello there" }) { ... on SendMessagePayload { run { id } } } }`, { s: session.id });
    const runId = (sent.data?.sendMessage as { run: { id: string } }).run.id;
    const events = subscribe(r.ws(), 'subscription($r: ID!) { runEvents(runId: $r, afterOffset: 0) { type } }', { r: runId });
    await events.completed;
    await eventually(async () => sample(await scrape(r), 'parley_runs_total', { status: 'SUCCEEDED', error_code: 'none' }) === 1);
    const text = await scrape(r);
    expect(sample(text, 'parley_run_time_to_first_token_seconds_count')).toBe(1);
    expect(sample(text, 'parley_run_input_tokens_total')).toBeGreaterThan(0);
    expect(sample(text, 'parley_run_output_tokens_total')).toBeGreaterThan(0);
    expect(sample(text, 'parley_subscriptions_open', { field: 'runEvents' })).toBe(0);
  });

  it('counts a failed run by its error code', async () => {
    running = await startApp({ metrics: { ...TEST_CONFIG.metrics, enabled: true } }, undefined, {});
    const r = running;
    const session = await r.app.service.createSession({ title: 'metrics' });
    await gql(r, `mutation($s: ID!) { sendMessage(sessionId: $s, message: { content: "hello" }) { __typename } }`, { s: session.id });
    await eventually(async () => sample(await scrape(r), 'parley_runs_total', { status: 'FAILED', error_code: 'NOT_CONFIGURED' }) === 1);
  });

  it('times each phase of an operation (parse, validate, execute) by its name', async () => {
    const r = await start();
    await gql(r, 'query Phases { sessions { ... on SessionConnection { totalCount } } }');
    const text = await scrape(r);
    for (const phase of ['parse', 'validate', 'execute']) {
      expect(sample(text, 'parley_graphql_phase_duration_seconds_count', { phase, operation_name: 'Phases' })).toBe(1);
      expect(sample(text, 'parley_graphql_phase_duration_seconds_sum', { phase, operation_name: 'Phases' })).toBeGreaterThan(0);
    }
    // An operation that fails validation was parsed and validated, never executed.
    await gql(r, 'query Invalid { sessions { nope } }');
    const after = await scrape(r);
    expect(sample(after, 'parley_graphql_phase_duration_seconds_count', { phase: 'validate', operation_name: 'Invalid' })).toBe(1);
    expect(sample(after, 'parley_graphql_phase_duration_seconds_count', { phase: 'execute', operation_name: 'Invalid' })).toBe(0);
  });

  it('counts and times storage calls by method', async () => {
    const r = await start();
    const before = sample(await scrape(r), 'parley_storage_calls_total', { method: 'createSession', outcome: 'ok' });
    await gql(r, 'mutation { createSession(input: { title: "stored" }) { ... on Session { id } } }');
    const text = await scrape(r);
    expect(sample(text, 'parley_storage_calls_total', { method: 'createSession', outcome: 'ok' })).toBe(before + 1);
    expect(sample(text, 'parley_storage_call_duration_seconds_count', { method: 'createSession' })).toBe(before + 1);
  });

  it('counts a storage call that does not answer within STORAGE_TIMEOUT_MS as a timeout', async () => {
    const memory = createMemoryStorage();
    const hanging = { ...memory, countSessions: () => new Promise<number>(() => {}) };
    bindAll(hanging, memory);
    running = await startApp({ metrics: { ...TEST_CONFIG.metrics, enabled: true }, storageTimeoutMs: 50 }, undefined, { storage: hanging });
    const body = await gql(running, '{ sessions { ... on SessionConnection { totalCount } } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const text = await scrape(running);
    expect(sample(text, 'parley_storage_calls_total', { method: 'countSessions', outcome: 'timeout' })).toBe(1);
    expect(sample(text, 'parley_storage_calls_total', { method: 'countSessions', outcome: 'ok' })).toBe(0);
  });

  it('counts subscription events delivered, one per subscriber, by field', async () => {
    const r = await start();
    const session = await r.app.service.createSession({ title: 'delivered' });
    const query = 'subscription($s: ID!) { messageAdded(sessionId: $s) { seq } }';
    const one = subscribe(r.ws(), query, { s: session.id });
    const two = subscribe(r.ws(), query, { s: session.id });
    await eventually(async () => sample(await scrape(r), 'parley_subscriptions_open', { field: 'messageAdded' }) === 2);
    await r.app.service.appendMessages(session.id, { messages: [{ role: 'USER', content: 'a' }, { role: 'USER', content: 'b' }] });
    await Promise.all([one.received(2), two.received(2)]);
    await eventually(async () => sample(await scrape(r), 'parley_subscription_events_delivered_total', { field: 'messageAdded' }) === 4);
  });

  it('carries Node process metrics: event-loop lag, heap, GC', async () => {
    const text = await scrape(await start());
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'process_cpu_seconds_total']) expect(text).toContain(`# TYPE ${name}`);
  });

  it('with METRICS_TOKEN, refuses a scrape without the token (401) and answers one with it', async () => {
    const r = await start({ token: 'scrape-token-0123456789' });
    expect((await fetch(metricsUrl(r))).status).toBe(401);
    expect((await fetch(metricsUrl(r), { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    const ok = await fetch(metricsUrl(r), { headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('parley_graphql_requests_total');
  });

  it('with METRICS_PORT, serves /metrics on that port of its own, and not on the GraphQL port', async () => {
    const r = await start({ port: 0, host: '127.0.0.1', token: 'scrape-token-0123456789' });
    const own = r.app.metricsUrl();
    expect(own).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(own!).port).not.toBe(new URL(r.url).port);
    expect((await fetch(metricsUrl(r))).status).toBe(404);
    expect((await fetch(own!)).status).toBe(401);
    await gql(r, 'query Counted { sessions { ... on SessionConnection { totalCount } } }');
    const ok = await fetch(own!, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(await ok.text(), 'parley_graphql_requests_total', { operation_type: 'query', operation_name: 'Counted', outcome: 'ok' })).toBe(1);
    expect((await fetch(own!.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
  });

  it('with METRICS=false, there is no /metrics (404)', async () => {
    const r = await start({ enabled: false });
    expect((await fetch(metricsUrl(r))).status).toBe(404);
  });
});

/** Binds the storage's methods that `copy` took from `source` unbound (a spread loses `this`). */
function bindAll(copy: Record<string, unknown>, source: object) {
  for (const [key, value] of Object.entries(copy)) {
    if (typeof value === 'function' && value === (source as Record<string, unknown>)[key]) copy[key] = value.bind(source);
  }
}
