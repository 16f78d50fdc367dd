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

const logger = createLogger(config.logLevel);
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
      if (!clean) process.exit(1);
      logger.info('stopped');
      process.exit(0);
    });
  });
}

/** MongoDB when MONGODB_URI is set (waiting for it, with backoff, if it is not up yet); memory otherwise. */
async function openStorage(): Promise<{ storage: Storage; name: string }> {
  if (!config.mongodbUri) return { storage: createMemoryStorage(), name: 'memory' };
  const log = (line: string) => logger.warn(line);
  const storage = await connectMongoStorage(
    // A retry waiting for a clientId staged by a writer that died must give up waiting well within
    // the storage timeout, or every such retry times out while the wait goes on behind it.
    { uri: config.mongodbUri, dbName: config.mongodbDb, log, staleAfterMs: Math.max(100, Math.floor(config.storageTimeoutMs / 2)) },
    { log, attempts: Number.POSITIVE_INFINITY, signal: startup.signal },
  );
  return { storage, name: `MongoDB ${redactUrl(config.mongodbUri)}, database ${config.mongodbDb}` };
}

let opened: Awaited<ReturnType<typeof openStorage>>;
try {
  opened = await openStorage();
} catch (error) {
  if (startup.signal.aborted) process.exit(0);
  logger.error((error as Error).message);
  process.exit(1);
}

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
  const parts = [`storage: ${opened.name}`, `events: ${config.redisUrl ? 'Redis' : 'in-process'}`, `auth: ${config.auth.mode}`, `model: ${model.name}`];
  parts.push(metricsPart(url));
  if (config.tracing) parts.push(`traces: OTLP to ${redactUrl(config.tracing.url)} as ${config.tracing.serviceName}`);
  if (config.graphiql) parts.push('GraphiQL: open it in a browser');
  if (config.console) parts.push(`console: ${new URL('/console', url).href}`);
  logger.info(`Parley is listening on ${url} (${parts.join(', ')})`);
} catch (error) {
  logger.error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  process.exit(1);
}

/** Where /metrics is, or why it is off: off by default only when HOST is public and nothing guards it. */
function metricsPart(url: string): string {
  const { metrics } = config;
  if (!metrics.enabled) return 'metrics: off (METRICS_PORT, METRICS_TOKEN or METRICS=true turns them on)';
  const at = app.metricsUrl() ?? new URL('/metrics', url).href;
  return `metrics: ${at}${metrics.token ? ' (bearer token)' : ''}`;
}
