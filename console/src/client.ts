import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { authHeaders } from './credential.js';

const http = new URL('/graphql', location.href);
const ws = new URL(http);
ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';

/**
 * One WebSocket for every subscription. No retries inside graphql-ws: a drop ends each subscription
 * with an error, and each view subscribes again with what it has (the last seq, the last offset),
 * so nothing is replayed twice and nothing is missed.
 */
export const sockets = createWsClient({ url: ws.href, retryAttempts: 0, lazyCloseTimeout: 1000, connectionParams: authHeaders });

/** urql: queries and mutations over HTTP, subscriptions over graphql-ws. No cache: views keep their own state. */
export const client = new Client({
  url: http.href,
  requestPolicy: 'network-only',
  preferGetMethod: false,
  fetchOptions: () => ({ headers: authHeaders() }),
  exchanges: [
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: sockets.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});

export type Connection = { state: 'connecting' | 'connected' | 'offline' } | { state: 'refused'; reason: string };

let refused: string | null = null;
const refusedListeners = new Set<(reason: string) => void>();

/**
 * Why the server refused the socket (Parley closes it with 4401 when the key or token is missing
 * or wrong, 4403 when it may not), or null for any other failure. Trying again with the same
 * credential cannot help, so once refused nothing subscribes again until a key is entered (which
 * reloads the page).
 */
export function refusal(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error) || (error.code !== 4401 && error.code !== 4403)) return null;
  return 'reason' in error && typeof error.reason === 'string' && error.reason ? error.reason : 'the server refused the credential';
}

/** The refusal this page got, if any. */
export const refusedBecause = (): string | null => refused;

sockets.on('closed', (event) => {
  const reason = refusal(event);
  if (reason === null || refused !== null) return;
  refused = reason;
  refusedListeners.forEach((f) => f(reason));
});

/** The WebSocket's state, for the indicator in the header. */
export function onConnection(listener: (state: Connection) => void): () => void {
  const onRefused = (reason: string) => listener({ state: 'refused', reason });
  refusedListeners.add(onRefused);
  const off = [
    sockets.on('connecting', () => listener({ state: 'connecting' })),
    sockets.on('connected', () => listener({ state: 'connected' })),
    sockets.on('closed', () => listener(refused !== null ? { state: 'refused', reason: refused } : { state: 'offline' })),
    () => refusedListeners.delete(onRefused),
  ];
  return () => off.forEach((f) => f());
}
