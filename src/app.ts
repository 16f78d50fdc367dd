import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import type { EventSink } from './core/events.js';
import { createSessionService, type SessionService } from './core/service/index.js';
import type { Storage } from './core/storage.js';
import type { Context } from './graphql/context.js';
import { maskError } from './graphql/mask-error.js';
import { schema } from './graphql/schema/index.js';
import { useErrorLog } from './graphql/error-log.js';
import { useCompiledExecution } from './graphql/jit.js';
import { useRequestBodyLimit } from './graphql/body-limit.js';
import { useReadinessEndpoint } from './graphql/readiness.js';
import { silentLogger, type Logger } from './log.js';

export interface AppOptions {
  storage: Storage;
  /** Where the service announces writes (subscriptions plug in here). None by default. */
  events?: EventSink;
  config: Pick<Config, 'graphiql' | 'limits' | 'retentionDays' | 'shutdownTimeoutMs'>;
  logger?: Logger;
}

export interface App {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  service: SessionService;
  /** Listens on port (0: any free port) and host; resolves with the URL of the GraphQL endpoint. */
  start(port: number, host?: string): Promise<string>;
  /** Stops accepting work, lets in-flight requests finish (up to shutdownTimeoutMs), then closes every connection. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

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

export function createApp({ storage, events, config, logger = silentLogger }: AppOptions): App {
  const service = createSessionService({
    storage,
    events,
    limits: config.limits,
    retentionDays: config.retentionDays,
    onEventError: (error, event) => logger.error('event delivery failed', { error, event: event.type }),
  });
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Parley', defaultQuery: WELCOME } : false,
    renderGraphiQL,
    maskedErrors: { maskError },
    maxRequestBodySize: false, // useRequestBodyLimit below
    logging: logger,
    context: ({ request }) => ({ service, requestId: request.headers.get('x-request-id') ?? randomUUID() }),
    plugins: [
      useCompiledExecution(),
      useErrorLog(logger),
      useReadinessEndpoint({
        endpoint: '/ready',
        check: async () => {
          try {
            await withTimeout(storage.ping(), READY_TIMEOUT_MS);
            return true;
          } catch (error) {
            logger.warn('readiness check failed: storage does not answer', { error });
            return false;
          }
        },
      }),
      useRequestBodyLimit(),
    ],
  });
  const server: Server = createServer(yoga);

  return {
    yoga,
    service,
    start: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}/graphql`);
        });
      }),
    stop: () => closeGracefully(server, config.shutdownTimeoutMs),
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
