import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createEventBus } from './events.js';
import { createLogger } from './log.js';

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
const storage = createMemoryStorage();
const events = createEventBus({ redisUrl: config.redisUrl, logger });
const app = createApp({ storage, events, config, logger });

try {
  const url = await app.start(config.port, config.host);
  const eventsVia = config.redisUrl ? 'Redis' : 'in-process';
  logger.info(`Parley is listening on ${url} (storage: memory, events: ${eventsVia}${config.graphiql ? ', GraphiQL: open it in a browser' : ''})`);
} catch (error) {
  logger.error(`cannot listen on ${config.host}:${config.port}`, { error });
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests, then stopping`);
    void (async () => {
      await app.stop();
      await events.close();
      await storage.close();
      logger.info('stopped');
      process.exit(0);
    })();
  });
}
