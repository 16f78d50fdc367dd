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

export type Connection = 'connecting' | 'connected' | 'offline';

/** The WebSocket's state, for the indicator in the header. */
export function onConnection(listener: (state: Connection) => void): () => void {
  const off = [
    sockets.on('connecting', () => listener('connecting')),
    sockets.on('connected', () => listener('connected')),
    sockets.on('closed', () => listener('offline')),
  ];
  return () => off.forEach((f) => f());
}
