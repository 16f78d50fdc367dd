import { readFileSync } from 'node:fs';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { connectMongoStorage } from '../../adapters/mongo/connect.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { redactUrl } from '../core/redact.js';
import type { Storage } from '../core/storage.js';
import { createEventBus } from '../live/bus.js';
import { createRunChannel } from '../live/run-channel.js';
import { createEchoProvider } from '../../providers/echo/index.js';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible/index.js';
import type { ModelProvider } from '../core/provider.js';
import { createLogger } from '../log.js';
import { stopWithin, type StopStep } from './shutdown.js';
import { loadTracing } from './tracing.js';

// The only place that reads the environment and picks the adapters.
let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel, format: config.logFormat ?? undefined });
/** Exits once the log lines are written: they are written asynchronously. */
const exit = async (code: number): Promise<never> => {
  await logger.flush();
  process.exit(code);
};
const startup = new AbortController();
let stopping = false;
let stopSteps: StopStep[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests, then stopping`);
    startup.abort();
    // SHUTDOWN_TIMEOUT_MS bounds the whole stop, whatever hangs (a Redis that does not answer…).
    void stopWithin(config.shutdownTimeoutMs, stopSteps).then(({ clean, gaveUpOn, failed }) => {
      for (const { name, error } of failed) logger.error(`stop: closing ${name} failed`, { error });
      if (gaveUpOn.length > 0) logger.error(`stop gave up after ${config.shutdownTimeoutMs} ms on: ${gaveUpOn.join(', ')}`);
      if (clean) logger.info('stopped');
      return exit(clean ? 0 : 1);
    });
  });
}

/** MongoDB when MONGODB_URI is set (waiting for it, with backoff, if it is not up yet); memory otherwise. */
async function openStorage(): Promise<{ storage: Storage; kind: 'memory' | 'mongodb'; name: string }> {
  if (!config.mongodbUri) return { storage: createMemoryStorage(), kind: 'memory', name: 'memory' };
  const log = (line: string) => logger.warn(line);
  const storage = await connectMongoStorage(
    // A retry waiting for a clientId staged by a writer that died must give up waiting well within
    // the storage timeout, or every such retry times out while the wait goes on behind it.
    { uri: config.mongodbUri, dbName: config.mongodbDb, log, staleAfterMs: Math.max(100, Math.floor(config.storageTimeoutMs / 2)) },
    { log, attempts: Number.POSITIVE_INFINITY, signal: startup.signal },
  );
  return { storage, kind: 'mongodb', name: `MongoDB ${redactUrl(config.mongodbUri)}, database ${config.mongodbDb}` };
}

const opened = await openStorage().catch(async (error: unknown) => {
  if (startup.signal.aborted) return exit(0);
  logger.error((error as Error).message);
  return exit(1);
});

/** The model provider the configuration names: none (runs fail with NOT_CONFIGURED), echo, or an OpenAI-compatible endpoint. */
function openProvider(): { provider: ModelProvider | undefined; name: string } {
  const model = config.runs.model;
  if (model.provider === 'echo') return { provider: createEchoProvider({ delayMs: model.delayMs }), name: 'echo (a test provider, not a model)' };
  if (model.provider === 'openai-compatible') {
    const provider = createOpenAICompatibleProvider({ baseURL: model.baseURL, apiKey: model.apiKey, defaultModel: model.defaultModel, models: model.aliases });
    return { provider, name: `OpenAI-compatible at ${redactUrl(model.baseURL)}` };
  }
  return { provider: undefined, name: 'none (runs fail with NOT_CONFIGURED)' };
}

const { storage } = opened;
const events = createEventBus({ redisUrl: config.redisUrl, logger });
const runChannel = createRunChannel({ redisUrl: config.redisUrl, logger, retainMs: config.runs.retainEventsMs });
const model = openProvider();
// The OpenTelemetry SDK is loaded only when an OTLP endpoint is configured.
const tracing = await loadTracing(config.tracing);
const app = createApp({ storage, events, config, logger, provider: model.provider, runChannel, tracing });
stopSteps = [
  { name: 'HTTP and WebSocket connections', run: () => app.stop() },
  ...(tracing ? [{ name: 'traces (the last export)', run: () => tracing.shutdown() }] : []),
  { name: `the event bus (${config.redisUrl ? 'Redis' : 'in-process'})`, run: () => events.close() },
  { name: 'run events', run: () => runChannel.close() },
  { name: 'storage', run: () => storage.close() },
];

try {
  const url = await app.start(config.port, config.host);
  // The one line that says what this process is: what it runs, on what, and where it answers.
  const parley = version();
  logger.info(`Parley ${parley} is listening on ${url}`, {
    version: parley,
    node: process.version,
    storage: opened.kind,
    storageDetail: opened.name,
    eventBus: config.redisUrl ? 'redis' : 'in-process',
    auth: config.auth.mode,
    model: model.name,
    url,
    graphiql: config.graphiql,
    console: config.console ? new URL('/console', url).href : false,
    metrics: metricsPart(url),
    traces: config.tracing ? `OTLP to ${redactUrl(config.tracing.url)} as ${config.tracing.serviceName}` : false,
  });
} catch (error) {
  logger.error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  await exit(1);
}

/** Parley's version: package.json's, found above this file (src/server/ with tsx, dist/src/server/ when built). */
function version(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      return (JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { version: string }).version;
    } catch {
      if (dir.pathname === '/') return 'unknown';
    }
  }
}

/** Where /metrics is, or why it is off: off by default only when HOST is public and nothing guards it. */
function metricsPart(url: string): string {
  const { metrics } = config;
  if (!metrics.enabled) return 'metrics: off (METRICS_PORT, METRICS_TOKEN or METRICS=true turns them on)';
  const at = app.metricsUrl() ?? new URL('/metrics', url).href;
  return `metrics: ${at}${metrics.token ? ' (bearer token)' : ''}`;
}
