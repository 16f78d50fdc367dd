import { once } from 'node:events';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App, type AppConfig, type AppOptions } from '../../src/server/app.js';
import type { EventBus } from '../../src/live/bus.js';
import { TEST_CONFIG } from '../api/client.js';

export interface Running {
  app: App;
  url: string;
  wsUrl: string;
  clients: Client[];
  ws(): Client;
  stop(): Promise<void>;
}

/** A Parley server on a free port, with graphql-ws clients that are all disposed at stop(). */
export async function startApp(
  config: Partial<AppConfig> = {},
  events?: EventBus,
  more: Partial<Pick<AppOptions, 'storage' | 'provider' | 'runChannel' | 'tracing'>> = {},
): Promise<Running> {
  const app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, ...config }, ...(events && { events }), ...more });
  const url = await app.start(0);
  const wsUrl = url.replace(/^http/, 'ws');
  const clients: Client[] = [];
  return {
    app,
    url,
    wsUrl,
    clients,
    ws() {
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
    },
  };
}

export interface Subscription<T> {
  values: T[];
  errors: unknown[];
  completed: Promise<void>;
  /** Resolves once `count` values have arrived. */
  received(count: number, timeoutMs?: number): Promise<T[]>;
  unsubscribe(): void;
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let finish: () => void = () => {};
  const completed = new Promise<void>((resolve) => (finish = resolve));
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) values.push(result.data as T);
        for (const w of waiters.filter((w) => values.length >= w.count)) w.resolve();
      },
      error: (error) => {
        errors.push(error);
        finish();
      },
      complete: () => finish(),
    },
  );
  return {
    values,
    errors,
    completed,
    unsubscribe,
    received: (count, timeoutMs = 10_000) =>
      new Promise<T[]>((resolve, reject) => {
        if (values.length >= count) return resolve(values);
        const timer = setTimeout(() => reject(new Error(`Only ${values.length} of ${count} values arrived: ${JSON.stringify(errors)}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(values)) });
      }),
  };
}

/** Polls until `check` holds, failing after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const MESSAGE_ADDED = 'subscription($id: ID!, $after: Int) { messageAdded(sessionId: $id, afterSeq: $after) { seq content } }';

/**
 * A bare graphql-transport-ws client subscribed to `query` with `variables` that then stops reading
 * its socket, once the app has its listener: a subscriber that falls behind.
 */
export async function stalledSubscriber(app: App, wsUrl: string, payload: { query: string; variables: Record<string, unknown>; operationName?: string }): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await once(socket, 'message');
  const listening = app.events.listenerCount();
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
  await eventually(() => app.events.listenerCount() === listening + 1, 5000, 'the subscription');
  (socket as unknown as { _socket: { pause(): void } })._socket.pause();
  return socket;
}

/** Appends batches of big messages to the session until no subscriber listens any more (at most 4,000). */
export async function floodUntilCut(app: App, sessionId: string): Promise<void> {
  const big = 'x'.repeat(60_000);
  for (let sent = 0; app.events.listenerCount() > 0 && sent < 4000; sent += 20) {
    await app.service.appendMessages(sessionId, { messages: Array.from({ length: 20 }, () => ({ role: 'USER' as const, content: big })) });
  }
}
export type MessageAdded = { messageAdded: { seq: number; content: string } };

/** Null when Redis answers at `url`; otherwise why not (for a one-line skip reason). */
export async function redisUnavailable(url: string): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    probe.disconnect();
  }
}
