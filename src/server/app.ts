import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { authenticateRequest, createAuthenticator, credentialsOf } from './auth.js';
import type { Config } from './config.js';
import { createSessionService, type SessionService } from '../core/service/index.js';
import { scopeService } from '../core/service/scoped.js';
import type { Storage } from '../core/storage.js';
import { timed, withTimeouts } from '../core/storage-timeout.js';
import { armorPlugins } from './plugins/armor.js';
import { useStrictJsonBody } from './plugins/strict-body.js';
import { useCrossSitePolicy } from './plugins/cross-site.js';
import type { Context } from '../graphql/context.js';
import { maskError, unexpectedCause } from './plugins/mask-error.js';
import { schema } from '../graphql/schema/index.js';
import { useErrorLog, useShortenedErrors } from './plugins/error-log.js';
import { createRequestIds } from './plugins/request-id.js';
import { createEventBus, type EventBus } from '../live/bus.js';
import { createLiveStreams } from '../live/streams.js';
import { createRunChannel, type LiveRunChannel } from '../live/run-channel.js';
import type { ModelProvider } from '../core/provider.js';
import { useSharedSubscriptionEvents } from './plugins/shared-events.js';
import { useCompiledExecution } from './plugins/jit.js';
import { useRequestBodyLimit } from './plugins/body-limit.js';
import { useReadinessEndpoint } from './plugins/readiness.js';
import { useValidationCache } from './plugins/validation-cache.js';
import { silentLogger, type Logger } from '../log.js';
import { useRequestLog } from './request-log.js';
import type { ServerContext } from './types.js';
import { attachWebSockets } from './ws.js';
import { useConsole } from './console.js';
import { createMetrics, type Metrics } from './metrics.js';
import { observeStorage, tracedStorage, type StorageWatch } from './observed-storage.js';
import type { Tracing } from './tracing-types.js';
import { createLeanListener } from './lean-http.js';
import { guardHosts } from './host-guard.js';

/** The part of the configuration the app itself uses (the rest picks adapters and the port). */
export type AppConfig = Pick<
  Config,
  | 'graphiql'
  | 'console'
  | 'introspection'
  | 'limits'
  | 'runs'
  | 'retentionDays'
  | 'shutdownTimeoutMs'
  | 'storageTimeoutMs'
  | 'subscriptionBuffer'
  | 'wsKeepAliveMs'
  | 'wsInitTimeoutMs'
  | 'auth'
  | 'corsOrigins'
  | 'allowedHosts'
  | 'maxBodyBytes'
  | 'armor'
  | 'metrics'
  | 'leanHttp'
>;

export interface AppOptions {
  storage: Storage;
  /** Where writes are announced and subscriptions listen. An in-process bus by default. */
  events?: EventBus;
  config: AppConfig;
  logger?: Logger;
  /** Where runs get replies: main.ts picks it from the configuration. Runs fail with NOT_CONFIGURED without one. */
  provider?: ModelProvider | undefined;
  /** Run events and cancellations: in-process by default; over Redis to share them between instances. */
  runChannel?: LiveRunChannel | undefined;
  /** Where the console's built assets are (dist/console/ by default): tests build them elsewhere. */
  consoleDir?: string | undefined;
  /** OpenTelemetry tracing (loadTracing), when an OTLP endpoint is configured; none by default. */
  tracing?: Tracing | null | undefined;
  /** The service's clock, for every time it writes: the system's by default (tests pass their own). */
  now?: (() => Date) | undefined;
}

export interface App {
  yoga: YogaServerInstance<ServerContext, Context>;
  events: EventBus;
  service: SessionService;
  /**
   * The path plain JSON POSTs to /graphql take: yoga's own (LEAN_HTTP=false), or the lean one,
   * `direct` when it runs only the hooks that act on them (see LeanHttpOptions.direct).
   */
  httpPath: 'yoga' | 'lean' | 'direct';
  /** Listens on port (0: any free port) and host, and on METRICS_PORT if set; resolves with the URL of the GraphQL endpoint. */
  start(port: number, host?: string): Promise<string>;
  /** Once started, the URL of /metrics on a port of its own (METRICS_PORT); null without one. */
  metricsUrl(): string | null;
  /**
   * Stops accepting work, closes WebSockets with 1001 (going away), lets in-flight requests finish
   * (up to shutdownTimeoutMs), then closes every connection.
   */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

/**
 * The body of `/ready` (200 when every check is `ok`, 503 otherwise): `storage` is whether the
 * storage answered a ping within 2 s; `eventBus`, whether the event bus and the run events hold
 * their Redis connections (always `ok` in-process, without REDIS_URL).
 */
export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { storage: 'ok' | 'unreachable'; eventBus: 'ok' | 'unreachable' };
}

const WELCOME = `# Welcome to Parley: press the run button, then try the README's operations.
mutation Start {
  createSession(input: {
    title: "First steps"
    messages: [{ role: USER, content: "Hello!" }]
  }) {
    ... on Session { id title messageCount }
    ... on Error { message }
  }
}
`;

/** Settle time of live message streams: see StreamLimits.settleMs. */
const SETTLE_MS = 2000;

export function createApp({ storage, events = createEventBus(), config, logger = silentLogger, provider, runChannel, consoleDir, tracing, now }: AppOptions): App {
  const runs = runChannel ?? createRunChannel({ logger, retainMs: config.runs.retainEventsMs });
  const metrics: Metrics | null = config.metrics.enabled ? createMetrics(schema, config.metrics) : null;
  metrics?.watchBus(events);
  const storageWatches: StorageWatch[] = [...(metrics ? [metrics.storage] : []), ...(tracing ? [tracedStorage(tracing.storageCall)] : [])];
  const service = createSessionService({
    runs: {
      provider: tracing && provider ? tracing.provider(provider) : provider,
      // A run outlives the request that started it: its spans go under a span of its own.
      wrapRun: tracing?.run,
      channel: runs,
      leaseMs: config.runs.leaseMs,
      window: config.runs.window,
      onError: (error, run) => logger.error('a run failed inside Parley', { error, runId: run.id, sessionId: run.sessionId }),
      onRunEvent: metrics?.onRunEvent,
    },
    // Watched outside the timeouts, so that a call that timed out is counted as one.
    storage: observeStorage(withTimeouts(storage, config.storageTimeoutMs), storageWatches),
    events,
    limits: config.limits,
    retentionDays: config.retentionDays,
    onEventError: (error, event) => logger.error('event delivery failed', { error, event: event.type }),
    now,
  });
  const streams = createLiveStreams({ service, bus: events, runs }, { buffer: config.subscriptionBuffer, settleMs: SETTLE_MS });
  const live = metrics ? metrics.watchLive(streams) : streams;
  // Runs whose instance stopped renewing their lease are ended by whichever instance looks first.
  const sweeper = setInterval(() => {
    service.sweepRuns().catch((error: unknown) => logger.warn('the run sweep failed', { error }));
  }, Math.max(50, Math.floor(config.runs.leaseMs / 2)));
  sweeper.unref();
  const authenticate = createAuthenticator(config.auth);
  const loggedErrors = new WeakSet<object>();
  const requestIds = createRequestIds();
  // Their request hooks do nothing for a plain JSON POST to the endpoint, or make checks the lean
  // HTTP path makes itself (LeanHttpOptions.direct).
  const consolePlugin = config.console ? useConsole({ dir: consoleDir, graphiql: config.graphiql }) : null;
  const crossSite = useCrossSitePolicy();
  const strictBody = useStrictJsonBody();
  const bodyLimit = useRequestBodyLimit(config.maxBodyBytes);
  const readiness = useReadinessEndpoint({
    endpoint: '/ready',
    check: async ({ fetchAPI }) => {
      const checks: Readiness['checks'] = { storage: 'ok', eventBus: events.isUp() && runs.isUp() ? 'ok' : 'unreachable' };
      try {
        await timed(storage.ping(), READY_TIMEOUT_MS, 'ping');
      } catch (error) {
        checks.storage = 'unreachable';
        logger.warn('readiness check failed: storage does not answer', { error });
      }
      if (checks.eventBus !== 'ok') logger.warn('readiness check failed: the event bus has lost Redis');
      const ready = checks.storage === 'ok' && checks.eventBus === 'ok';
      const body: Readiness = { status: ready ? 'ready' : 'unavailable', checks };
      return new fetchAPI.Response(JSON.stringify(body), { status: ready ? 200 : 503, headers: { 'content-type': 'application/json' } });
    },
  });
  const plugins: Plugin[] = [
    // First, so that it sees every request, those the plugins below answer by themselves included.
    ...(logger === silentLogger ? [] : [useRequestLog(logger, requestIds.of, (request) => authenticate(credentialsOf(request)).catch(() => undefined))]),
    ...(metrics ? [metrics.plugin] : []),
    ...(consolePlugin ? [consolePlugin] : []),
    requestIds.plugin,
    useCompiledExecution() as Plugin,
    useSharedSubscriptionEvents() as Plugin,
    // After the two above: its spans wrap the execute and subscribe functions they set.
    ...(tracing ? [tracing.plugin] : []),
    crossSite,
    strictBody,
    ...armorPlugins(config.armor, config.introspection),
    ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
    useValidationCache(), // after every plugin that adds a validation rule
    useErrorLog(logger, loggedErrors) as Plugin,
    useShortenedErrors(),
    readiness,
    bodyLimit,
  ];
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Parley', defaultQuery: WELCOME } : false,
    renderGraphiQL,
    maskedErrors: { maskError },
    maxRequestBodySize: false, // useRequestBodyLimit, last of the plugins
    logging: yogaLogger(logger, loggedErrors),
    batching: false,
    parserAndValidationCache: { validationCache: false }, // useValidationCache instead
    cors: corsOptions(config.corsOrigins),
    context: async ({ request, requestId, caller, closeConnection }) => {
      const who = caller ?? (await authenticateRequest(authenticate, request));
      return {
        service: scopeService(service, who),
        caller: who,
        live,
        requestId: requestId ?? (request ? requestIds.of(request) : randomUUID()),
        closeConnection,
      };
    },
    plugins,
  });
  const inert = [crossSite, strictBody, bodyLimit, readiness, ...(consolePlugin ? [consolePlugin] : [])];
  const lean = config.leanHttp ? createLeanListener(yoga, { endpoint: '/graphql', maxBodyBytes: config.maxBodyBytes, direct: { plugins, inert } }) : null;
  const listener = lean ?? yoga;
  const guarded = guardHosts(listener, config.allowedHosts);
  const server: Server = createServer(tracing ? tracing.http(guarded) : guarded);
  const eventStreams = trackEventStreams(server);
  const sockets = attachWebSockets(server, yoga, {
    keepAliveMs: config.wsKeepAliveMs,
    initTimeoutMs: config.wsInitTimeoutMs,
    maxMessageBytes: config.maxBodyBytes,
    authenticate,
    allowedOrigins: config.corsOrigins ?? [],
    allowedHosts: config.allowedHosts,
    logger,
    tracing: tracing ?? null,
  });
  let stopping: Promise<void> | undefined;
  const metricsServer = metrics && config.metrics.port !== null ? createServer(metrics.listener) : null;
  let metricsUrl: string | null = null;

  return {
    yoga,
    service,
    events,
    httpPath: lean ? (lean.direct ? 'direct' : 'lean') : 'yoga',
    metricsUrl: () => metricsUrl,
    start: async (port, host = '127.0.0.1') => {
      if (metricsServer) metricsUrl = `${await listen(metricsServer, config.metrics.port ?? 0, config.metrics.host)}/metrics`;
      return `${await listen(server, port, host)}/graphql`;
    },
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeper);
        // Runs end first (FAILED, SERVER_STOPPED, with what they had), while their subscribers still listen.
        await service.stopRuns();
        const http = closeGracefully(server, config.shutdownTimeoutMs);
        const scrapes = metricsServer ? closeGracefully(metricsServer, 0) : Promise.resolve();
        // An SSE subscription never finishes by itself: it is ended, as a WebSocket is closed.
        eventStreams.end();
        await sockets.close();
        await Promise.all([http, scrapes]);
        if (!runChannel) await runs.close();
      })()),
  };
}

/** Listens on port and host; resolves with the origin, or fails with the reason in words (listenError). */
function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenError(error, port));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

/** Why the server cannot listen, in words, with the system's code (EADDRINUSE...) and the error as cause. */
function listenError(error: NodeJS.ErrnoException, port: number): Error {
  const reasons: Record<string, string> = {
    EADDRINUSE: `port ${port} is already in use`,
    EACCES: `no permission to listen on port ${port}`,
    EADDRNOTAVAIL: 'the address is not one of this machine\'s',
    ENOTFOUND: 'the host name is unknown',
    EAI_AGAIN: 'the host name could not be resolved',
  };
  const reason = (error.code && reasons[error.code]) ?? error.message;
  return new Error(`${reason} (${error.code ?? 'listen failed'})`, { cause: error });
}

/**
 * The responses of requests that asked for an event stream (SSE). end() closes their connections
 * once what was written is sent; the client sees the stream end and may reconnect elsewhere.
 */
function trackEventStreams(server: Server): { end(): void } {
  const open = new Set<ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!request.headers.accept?.includes('text/event-stream')) return;
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  return {
    end: () => {
      for (const response of open) response.socket?.end();
    },
  };
}

/** Closes the server: no new connections, idle ones closed, busy ones given until the deadline. */
function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Yoga's own log lines, one line each. Errors raised while executing an operation are left out:
 * useErrorLog has logged them already (those in `logged`), with the request id. So are errors
 * about the request itself (a client's mistake, not the server's): the request's own line
 * (useRequestLog) says those, at info, with the request id.
 */
function yogaLogger(logger: Logger, logged: WeakSet<object>) {
  // yoga logs a message, an error, or both: the error goes in a field, with its stack at error level.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((a) => a instanceof Error);
    const words = args.filter((a) => a !== error).map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' ');
    const message = words || (error instanceof Error ? error.message : 'yoga');
    logger[level](message, error ? { error } : undefined);
  };
  const error = at('error');
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: (...args: unknown[]) => {
      if (args[0] !== null && typeof args[0] === 'object' && logged.has(args[0])) return;
      if (args[0] instanceof GraphQLError && (args[0].path || !unexpectedCause(args[0]))) return;
      error(...args);
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** null: same-origin only (no CORS headers); ['*']: any origin; otherwise these origins. */
function corsOptions(origins: string[] | null) {
  if (origins === null) return false;
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'x-graphql-yoga-csrf'],
    exposedHeaders: ['x-request-id', 'traceresponse', 'server-timing'],
    credentials: false,
  };
}
