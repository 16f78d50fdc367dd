import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { getOperationAST, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunObservation } from '../core/service/deps.js';
import type { EventBus } from '../live/bus.js';
import type { Overflow } from '../live/queue.js';
import type { LiveStreams } from '../live/streams.js';
import type { StorageWatch } from './observed-storage.js';
import { FastCounter, FastHistogram, type CounterSeries, type HistogramSeries } from './fast-metrics.js';
import { processMetrics } from './process-metrics.js';
import { plainPathOf } from './url-path.js';

export interface MetricsConfig {
  /** Serve /metrics (METRICS; see Config.metrics for the default). */
  enabled: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token: string | null;
  /** A listener of its own for /metrics (METRICS_PORT; 0: any free port); null: on the GraphQL port. */
  port: number | null;
  /** Where that listener binds (METRICS_HOST, 127.0.0.1 by default). */
  host: string;
}

/** Operation names that may become a label value; anything else is "other". */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct operation names kept as labels; later new names are "other", so that a client cannot grow the series without bound. */
const MAX_NAMES = 500;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export interface Metrics {
  registry: Registry;
  /** The yoga plugin: serves /metrics and counts requests, errors and subscriptions. */
  plugin: Plugin;
  /** For RunOptions.onRunEvent: runs by status, time to first token, tokens. */
  onRunEvent(event: RunObservation): void;
  /** The Prometheus text of this app's metrics and the process's. */
  text(): Promise<string>;
  /** /metrics for a listener of its own (METRICS_PORT): 401 without the token, 404 for any other path. */
  listener: RequestListener;
  /** Counts and times the calls of the storage it is given to (see observeStorage). */
  storage: StorageWatch;
  /** The bus's connection state (read at scrape time) and its publications. */
  watchBus(bus: EventBus): void;
  /** The same streams, whose slow subscribers cut off, and the events they had not received, are counted. */
  watchLive(live: LiveStreams): LiveStreams;
  /**
   * Request metrics for an HTTP path, keyed by the object the GraphQL context holds as `request`:
   * begin when it arrives, result with the answer it gets, end with the HTTP status once answered.
   * yoga's path calls them from the plugin; another path calls them itself.
   */
  requests: {
    begin(request: object): void;
    result(request: object, result: { errors?: readonly GraphQLError[] | undefined }): void;
    end(request: object, status: number): void;
  };
}

/** Children of a labelled metric, kept: prom-client would otherwise hash a label object on every observation. */
function children<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    let child = made.get(key);
    if (child === undefined) made.set(key, (child = make(key)));
    return child;
  };
}

const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
type Phase = 'parse' | 'validate' | 'execute';
const STREAM_FIELDS = { messages: 'messageAdded', sessions: 'sessionEvents', runEvents: 'runEvents' } as const;

interface RequestState {
  start: number;
  /** Whether the request got as far as parsing its document (a GraphiQL page or a refused body does not). */
  graphql: boolean;
  /** The operation's name, known from the parameters; its series once its document is. */
  name: string;
  operation: { series: RequestSeries } | null;
  outcome: string;
}

/** What a request of one operation type and name counts. */
interface RequestSeries {
  duration: HistogramSeries;
  outcome(outcome: string): CounterSeries;
}

export function createMetrics(schema: GraphQLSchema, config: MetricsConfig, endpoint = '/metrics', graphqlEndpoint = '/graphql'): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // What every request or event touches is a FastCounter or FastHistogram (see fast-metrics.ts).
  const requests = new FastCounter('parley_graphql_requests_total', 'GraphQL operations, by operation type and name and outcome (ok or the first error code)', ['operation_type', 'operation_name', 'outcome'], registry);
  const duration = new FastHistogram(
    'parley_graphql_request_duration_seconds',
    'Time from the request to the response (or, over WebSocket, the execution), by operation type and name',
    ['operation_type', 'operation_name'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registry,
  );
  const errors = new Counter({ name: 'parley_graphql_errors_total', help: 'GraphQL errors in responses, by code (extensions.code)', labelNames: ['code'], registers });
  let inFlight = 0;
  new Gauge({
    name: 'parley_graphql_requests_in_flight',
    help: 'GraphQL HTTP requests received and not yet answered',
    registers,
    collect() {
      this.set(inFlight);
    },
  });
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
  const phases = new FastHistogram(
    'parley_graphql_phase_duration_seconds',
    'Time spent in each GraphQL phase (parse, validate, execute) of an operation, by operation name',
    ['phase', 'operation_name'],
    FAST_BUCKETS,
    registry,
  );
  const delivered = new FastCounter('parley_subscription_events_delivered_total', 'Subscription events sent to subscribers (one per subscriber), by root field', ['field'], registry);
  const cut = new Counter({ name: 'parley_subscription_slow_cut_total', help: 'Subscribers cut off because too many events waited for them (SUBSCRIBER_TOO_SLOW), by root field', labelNames: ['field'], registers });
  const dropped = new Counter({ name: 'parley_subscription_events_dropped_total', help: 'Events that a subscriber cut off for being slow had not received yet, by root field', labelNames: ['field'], registers });
  let bus: EventBus | null = null;
  new Gauge({
    name: 'parley_event_bus_up',
    help: 'Whether the event bus can deliver (1) or has lost Redis (0); always 1 in-process',
    registers,
    collect() {
      this.set(bus === null || bus.isUp() ? 1 : 0);
    },
  });
  const publishes = new FastCounter('parley_event_bus_publishes_total', 'Event publications to one topic, by outcome (ok, failed, dropped while Redis is down)', ['outcome'], registry);
  const publishTime = new FastHistogram('parley_event_bus_publish_duration_seconds', 'Time from a publication until Redis acknowledged it (a Redis bus only)', [], FAST_BUCKETS, registry);
  const storageCalls = new FastCounter('parley_storage_calls_total', 'Storage calls, by method and outcome (ok, error, timeout)', ['method', 'outcome'], registry);
  const storageTime = new FastHistogram('parley_storage_call_duration_seconds', 'Time of a storage call, by method', ['method'], FAST_BUCKETS, registry);

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
  // The phase histograms of an operation name, made once.
  const phasesOf = children((name): Record<Phase, HistogramSeries> => ({ parse: phases.child('parse', name), validate: phases.child('validate', name), execute: phases.child('execute', name) }));
  // Everything a request of one type and name counts, made once: one lookup per request.
  const seriesOf = children((key): RequestSeries => {
    const [type, name] = key.split('\0') as [string, string];
    const outcomes = new Map<string, CounterSeries>();
    return {
      duration: duration.child(type, name),
      outcome(outcome: string): CounterSeries {
        let series = outcomes.get(outcome);
        if (!series) outcomes.set(outcome, (series = requests.child(type, name, outcome)));
        return series;
      },
    };
  });
  type Operation = { operationName: string | null | undefined; type: string; name: string; phases: Record<Phase, HistogramSeries>; series: RequestSeries };
  // yoga's parser cache hands out one DocumentNode per query text: its operation is looked up once.
  const operations = new WeakMap<DocumentNode, Operation>();
  const operationOf = (document: DocumentNode, operationName: string | null | undefined): Operation => {
    const known = operations.get(document);
    if (known && known.operationName === operationName) return known;
    const operation = getOperationAST(document, operationName);
    const name = nameLabel(operation?.name?.value ?? operationName);
    const type = operation?.operation ?? 'unknown';
    const found = { operationName, type, name, phases: phasesOf(name), series: seriesOf(`${type}\0${name}`) };
    operations.set(document, found);
    return found;
  };
  // Bounded as the labels are: types and names above, outcomes are error codes.
  const count = (series: RequestSeries, outcome: string, seconds: number | null) => {
    series.outcome(outcome).inc();
    if (seconds !== null) series.duration.observe(seconds);
  };
  const deliveredTo = children((field) => delivered.child(field));
  const cutOf = children((field) => cut.labels(field));
  const droppedOf = children((field) => dropped.labels(field));
  const publishOf = children((outcome) => publishes.child(outcome));
  const publishSeries = publishTime.child();
  const storageOf = children((method) => {
    const outcomes = { ok: storageCalls.child(method, 'ok'), error: storageCalls.child(method, 'error'), timeout: storageCalls.child(method, 'timeout') };
    return { time: storageTime.child(method), outcomes };
  });
  const states = new WeakMap<object, RequestState>();
  const expected = config.token === null ? null : digest(`Bearer ${config.token}`);
  const authorized = (header: string | null | undefined) => !expected || timingSafeEqual(digest(header ?? ''), expected);
  const stateOf = (context: unknown): RequestState | undefined => {
    const request = (context as { request?: object }).request;
    return request && states.get(request);
  };

  const requestMeter: Metrics['requests'] = {
    begin(request) {
      states.set(request, { start: performance.now(), graphql: false, name: 'anonymous', operation: null, outcome: 'ok' });
      inFlight += 1;
    },
    result(request, result) {
      const state = states.get(request);
      if (!state || !result.errors) return;
      for (const error of result.errors) errors.inc({ code: codeLabel(error) });
      state.outcome = codeLabel(result.errors[0]);
    },
    end(request, status) {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      inFlight -= 1;
      if (!state.graphql) {
        // Refused before GraphQL (413, 415, 403): counted by HTTP status; a page such as GraphiQL is not an operation.
        if (status < 400) return;
        state.outcome = `HTTP_${status}`;
      }
      const series = state.operation?.series ?? seriesOf(`unknown\0${state.name}`);
      count(series, state.outcome, (performance.now() - state.start) / 1000);
    },
  };

  const plugin: Plugin = {
    onRequest(payload) {
      const { request, fetchAPI, endResponse } = payload;
      // From the text, and `payload.url` not read otherwise: the lean HTTP path builds that URL
      // (2 µs) only when a hook reads it.
      const path = plainPathOf(request.url) ?? payload.url.pathname;
      if (path === graphqlEndpoint) return requestMeter.begin(request);
      // With a port of its own, /metrics is not on the GraphQL port.
      if (path !== endpoint || config.port !== null) return;
      if (!authorized(request.headers.get('authorization'))) {
        endResponse(new fetchAPI.Response('Unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' } }));
        return;
      }
      return text().then((body) => endResponse(new fetchAPI.Response(body, { headers: { 'content-type': registry.contentType } })));
    },
    // No onParams hook: the first one makes yoga iterate them (1.3 µs a request); what it would
    // learn, the parameters' operation name, the context holds when parsing begins.
    onParse({ context }) {
      const start = performance.now();
      const operationName = operationNameOf(context);
      const state = stateOf(context);
      if (state) {
        state.graphql = true;
        state.name = nameLabel(operationName);
      }
      return ({ result }) => {
        const seconds = (performance.now() - start) / 1000;
        const timers = result && !(result instanceof Error) ? operationOf(result, operationName).phases : phasesOf(nameLabel(operationName));
        timers.parse.observe(seconds);
      };
    },
    // The document is known from validation on: an operation that fails it is still counted by its name.
    onValidate({ context, params }) {
      const start = performance.now();
      const operation = operationOf(params.documentAST, operationNameOf(context));
      const state = stateOf(context);
      if (state) state.operation = operation;
      return () => operation.phases.validate.observe((performance.now() - start) / 1000);
    },
    onExecute({ args }) {
      const state = stateOf(args.contextValue);
      const operation = operationOf(args.document, args.operationName);
      const start = performance.now();
      if (state) state.operation = operation;
      return {
        onExecuteDone({ result }) {
          const seconds = (performance.now() - start) / 1000;
          operation.phases.execute.observe(seconds);
          // Over WebSocket there is no HTTP request: the execution is the request.
          if (state || isAsyncIterable(result)) return;
          const first = result.errors?.[0];
          for (const error of result.errors ?? []) errors.inc({ code: codeLabel(error) });
          count(operation.series, first ? codeLabel(first) : 'ok', seconds);
        },
      };
    },
    onSubscribe({ args }) {
      const state = stateOf(args.contextValue);
      const operation = operationOf(args.document, args.operationName);
      if (state) state.operation = operation;
      const root = getOperationAST(args.document, args.operationName)?.selectionSet.selections[0];
      const field = root?.kind === 'Field' && fields.has(root.name.value) ? root.name.value : 'other';
      return {
        onSubscribeResult({ result, setResult }) {
          const iterable = isAsyncIterable(result);
          // Over WebSocket, the subscription is the request: counted once, by whether it started.
          if (!state) count(operation.series, iterable || !result.errors?.[0] ? 'ok' : codeLabel(result.errors[0]), null);
          if (!iterable) return;
          subscriptions.inc({ field });
          const sent = deliveredTo(field);
          let open = true;
          const close = () => {
            if (open) subscriptions.dec({ field });
            open = false;
          };
          setResult(counted(result, () => sent.inc(), close));
        },
      };
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      requestMeter.result(request, result);
    },
    onResponse({ request, response }) {
      requestMeter.end(request, response.status);
    },
  };

  async function text(): Promise<string> {
    const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }

  /** Counts a cut once per stream, with the events it will not get. */
  const counting =
    <T>(field: string, onOverflow: Overflow<T>): Overflow<T> =>
    (queue, undelivered) => {
      if (!queue.isEnded) {
        cutOf(field).inc();
        droppedOf(field).inc(undelivered);
      }
      onOverflow(queue, undelivered);
    };

  const listener: RequestListener = (req, res) => {
    if ((req.url ?? '/').split('?', 1)[0] !== endpoint || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (!authorized(req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end('Unauthorized\n');
      return;
    }
    text().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  };

  return {
    registry,
    plugin,
    text,
    listener,
    requests: requestMeter,
    storage: {
      start(method) {
        const start = performance.now();
        const series = storageOf(method);
        return (outcome) => {
          series.outcomes[outcome].inc();
          series.time.observe((performance.now() - start) / 1000);
        };
      },
    },
    watchBus(events) {
      bus = events;
      events.observe?.({
        published(outcome, seconds) {
          publishOf(outcome).inc();
          if (seconds !== null) publishSeries.observe(seconds);
        },
      });
    },
    watchLive: (live) => ({
      messages: (sessionId, afterSeq, onOverflow) => live.messages(sessionId, afterSeq, counting(STREAM_FIELDS.messages, onOverflow)),
      sessions: (ownerId, onOverflow, resyncFirst) => live.sessions(ownerId, counting(STREAM_FIELDS.sessions, onOverflow), resyncFirst),
      runEvents: (runId, afterOffset, onOverflow) => live.runEvents(runId, afterOffset, counting(STREAM_FIELDS.runEvents, onOverflow)),
    }),
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

/** The operation name the request asked for, from the context yoga builds (its `params`). */
const operationNameOf = (context: unknown): string | null | undefined => (context as { params?: { operationName?: string | null } }).params?.operationName;

/** A provider's count as a counter can take it: a negative or missing count adds nothing. */
const tokens = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

/** Equal-length digests, so that comparing them takes the same time whatever the header. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The stream, calling `onEvent` for each event it hands on and `onEnd` once when it ends (done,
 * returned by its consumer, or failed). It does what returning onNext and onEnd from
 * onSubscribeResult would, with one `then` per event: envelop's own wrappers for those hooks (a
 * mapping and a final iterator, promise helpers per event) cost a fan-out to 1,000 subscribers
 * more than counting does.
 */
function counted<T>(source: AsyncIterable<T>, onEvent: () => void, onEnd: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const step = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) onEnd();
    else onEvent();
    return result;
  };
  const failed = (error: unknown): never => {
    onEnd();
    throw error;
  };
  const stream: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => stream,
    next: () => iterator.next().then(step, failed),
    return: (value?: unknown) => {
      onEnd();
      return iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined });
    },
    throw: (error?: unknown) => (iterator.throw ? iterator.throw(error).then(step, failed) : failed(error)),
  };
  return stream;
}
