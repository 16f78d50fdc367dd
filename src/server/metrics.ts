import { createHash, timingSafeEqual } from 'node:crypto';
import { getOperationAST, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunObservation } from '../core/service/deps.js';

export interface MetricsConfig {
  /** Serve /metrics (METRICS, on by default). */
  enabled: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token: string | null;
}

/** Operation names that may become a label value; anything else is "other". */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct operation names kept as labels; later new names are "other", so that a client cannot grow the series without bound. */
const MAX_NAMES = 500;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

let processRegistry: Registry | undefined;

/** Node's process metrics (event-loop lag, heap, GC): one collector per process, shared by every app in it. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export interface Metrics {
  registry: Registry;
  /** The yoga plugin: serves /metrics and counts requests, errors and subscriptions. */
  plugin: Plugin;
  /** For RunOptions.onRunEvent: runs by status, time to first token, tokens. */
  onRunEvent(event: RunObservation): void;
  /** The Prometheus text of this app's metrics and the process's. */
  text(): Promise<string>;
}

interface RequestState {
  start: number;
  /** Whether the request got as far as GraphQL parameters (a GraphiQL page or a refused body does not). */
  graphql: boolean;
  type: string;
  name: string;
  outcome: string;
}

export function createMetrics(schema: GraphQLSchema, config: MetricsConfig, endpoint = '/metrics', graphqlEndpoint = '/graphql'): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'parley_graphql_requests_total', help: 'GraphQL operations, by operation type and name and outcome (ok or the first error code)', labelNames: ['operation_type', 'operation_name', 'outcome'], registers });
  const duration = new Histogram({
    name: 'parley_graphql_request_duration_seconds',
    help: 'Time from the request to the response (or, over WebSocket, the execution), by operation type and name',
    labelNames: ['operation_type', 'operation_name'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const errors = new Counter({ name: 'parley_graphql_errors_total', help: 'GraphQL errors in responses, by code (extensions.code)', labelNames: ['code'], registers });
  const inFlight = new Gauge({ name: 'parley_graphql_requests_in_flight', help: 'GraphQL HTTP requests received and not yet answered', registers });
  const subscriptions = new Gauge({ name: 'parley_subscriptions_open', help: 'Subscriptions open, by root field', labelNames: ['field'], registers });
  const runs = new Counter({ name: 'parley_runs_total', help: 'Runs ended, by final status and error code ("none" when it did not fail)', labelNames: ['status', 'error_code'], registers });
  const firstToken = new Histogram({
    name: 'parley_run_time_to_first_token_seconds',
    help: 'Time from a run leaving the queue to its first token',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers,
  });
  const tokensIn = new Counter({ name: 'parley_run_input_tokens_total', help: 'Prompt tokens of ended runs, as their provider reported them', registers });
  const tokensOut = new Counter({ name: 'parley_run_output_tokens_total', help: 'Completion tokens of ended runs, as their provider reported them', registers });

  const fields = new Set(Object.keys(schema.getSubscriptionType()?.getFields() ?? {}));
  const names = new Set<string>();
  const nameLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!NAME.test(name)) return 'other';
    if (names.has(name)) return name;
    if (names.size >= MAX_NAMES) return 'other';
    names.add(name);
    return name;
  };
  const codeLabel = (error: GraphQLError | undefined): string => {
    const code = error?.extensions?.code;
    return typeof code === 'string' && CODE.test(code) ? code : 'UNKNOWN';
  };
  // yoga's parser cache hands out one DocumentNode per query text: its operation is looked up once.
  const operations = new WeakMap<DocumentNode, { operationName: string | null | undefined; type: string; name: string }>();
  const operationOf = (document: DocumentNode, operationName: string | null | undefined) => {
    const known = operations.get(document);
    if (known && known.operationName === operationName) return known;
    const operation = getOperationAST(document, operationName);
    const found = { operationName, type: operation?.operation ?? 'unknown', name: nameLabel(operation?.name?.value ?? operationName) };
    operations.set(document, found);
    return found;
  };
  // Labelled children, kept: prom-client would otherwise hash the label object on every request. Bounded as the labels are.
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(value: number): void }>();
  const count = (type: string, name: string, outcome: string, seconds: number | null) => {
    const key = `${type}\0${name}`;
    const full = `${key}\0${outcome}`;
    let counter = counted.get(full);
    if (!counter) counted.set(full, (counter = requests.labels(type, name, outcome)));
    counter.inc();
    if (seconds === null) return;
    let histogram = timed.get(key);
    if (!histogram) timed.set(key, (histogram = duration.labels(type, name)));
    histogram.observe(seconds);
  };
  const states = new WeakMap<Request, RequestState>();
  const expected = config.token === null ? null : digest(`Bearer ${config.token}`);

  const plugin: Plugin = {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname === graphqlEndpoint) {
        states.set(request, { start: performance.now(), graphql: false, type: 'unknown', name: 'anonymous', outcome: 'ok' });
        inFlight.inc();
        return;
      }
      if (url.pathname !== endpoint) return;
      if (expected && !timingSafeEqual(digest(request.headers.get('authorization') ?? ''), expected)) {
        endResponse(new fetchAPI.Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' } }));
        return;
      }
      return text().then((body) => endResponse(new fetchAPI.Response(body, { headers: { 'content-type': registry.contentType } })));
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (!state) return;
      state.graphql = true;
      state.name = nameLabel(params.operationName);
    },
    // The document is known from validation on: an operation that fails it is still counted by its name.
    onValidate({ context, params }) {
      const request = (context as { request?: Request }).request;
      const state = request && states.get(request);
      if (!state) return;
      const operation = operationOf(params.documentAST, (context as { params?: { operationName?: string } }).params?.operationName);
      state.type = operation.type;
      state.name = operation.name;
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request && states.get(request);
      const operation = operationOf(args.document, args.operationName);
      if (state) {
        state.type = operation.type;
        state.name = operation.name;
        return;
      }
      // Over WebSocket there is no HTTP request: the execution is the request.
      const start = performance.now();
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const first = result.errors?.[0];
          for (const error of result.errors ?? []) errors.inc({ code: codeLabel(error) });
          count(operation.type, operation.name, first ? codeLabel(first) : 'ok', (performance.now() - start) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const state = request && states.get(request);
      const operation = operationOf(args.document, args.operationName);
      if (state) {
        state.type = operation.type;
        state.name = operation.name;
      }
      const root = getOperationAST(args.document, args.operationName)?.selectionSet.selections[0];
      const field = root?.kind === 'Field' && fields.has(root.name.value) ? root.name.value : 'other';
      return {
        onSubscribeResult({ result }) {
          const iterable = isAsyncIterable(result);
          // Over WebSocket, the subscription is the request: counted once, by whether it started.
          if (!state) count(operation.type, operation.name, iterable || !result.errors?.[0] ? 'ok' : codeLabel(result.errors[0]), null);
          if (!iterable) return;
          subscriptions.inc({ field });
          let open = true;
          const close = () => {
            if (open) subscriptions.dec({ field });
            open = false;
          };
          return { onEnd: close };
        },
      };
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (!state || Array.isArray(result) || isAsyncIterable(result) || !result.errors) return;
      for (const error of result.errors) errors.inc({ code: codeLabel(error) });
      state.outcome = codeLabel(result.errors[0]);
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      inFlight.dec();
      if (!state.graphql) {
        // Refused before GraphQL (413, 415, 403): counted by HTTP status; a page such as GraphiQL is not an operation.
        if (response.status < 400) return;
        state.outcome = `HTTP_${response.status}`;
      }
      count(state.type, state.name, state.outcome, (performance.now() - state.start) / 1000);
    },
  };

  async function text(): Promise<string> {
    const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }

  return {
    registry,
    plugin,
    text,
    onRunEvent(event) {
      if (event.type === 'FIRST_TOKEN') return firstToken.observe(event.ms / 1000);
      const { run } = event;
      runs.inc({ status: run.status, error_code: run.error?.code ?? 'none' });
      if (run.usage) {
        tokensIn.inc(tokens(run.usage.promptTokens));
        tokensOut.inc(tokens(run.usage.completionTokens));
      }
    },
  };
}

/** A provider's count as a counter can take it: a negative or missing count adds nothing. */
const tokens = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

/** Equal-length digests, so that comparing them takes the same time whatever the header. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
