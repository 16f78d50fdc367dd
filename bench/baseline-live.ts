import { WebSocketServer, type WebSocket } from 'ws';
import { createMemoryStorage } from '../adapters/memory/index.js';
import type { SessionEvent } from '../src/core/events.js';
import type { InputOf } from '../src/core/schemas.js';
import { createSessionService } from '../src/core/service/index.js';
import { startBaselineServer } from './baseline-server.js';
import { followParent } from './child.js';

/*
 * S4's baseline R, in its own process (`baseline-live.ts <sessions>`: sessions fan-0 and on): the
 * same session service and in-memory adapter as Parley, without GraphQL. It speaks just enough
 * graphql-transport-ws for bench/fanout-clients.ts (connection_init → connection_ack, subscribe →
 * remember the socket and the id under the session of its variables) and answers the
 * appendMessage POSTs of run-fanout.ts (the HTTP baseline's server) by calling
 * service.appendMessage. For every message the service announces, it builds each subscriber's `next` message with JSON.stringify and sends it, as
 * graphql-ws does, but with no per-subscriber GraphQL execution, queue or async iterator.
 * Sends { url } to the parent over IPC, like serve-live.ts.
 */
followParent();

const sessions = Number(process.argv[2] ?? '1');
/** Subscribers by session id. */
const subscribers = new Map<string, Set<{ socket: WebSocket; id: string }>>();
const deliver = (event: SessionEvent) => {
  if (event.type !== 'MESSAGES_ADDED') return;
  for (const m of event.messages) {
    const messageAdded = { seq: m.seq, createdAt: m.createdAt.toISOString() };
    for (const s of subscribers.get(event.session.id) ?? []) s.socket.send(JSON.stringify({ id: s.id, type: 'next', payload: { data: { messageAdded } } }));
  }
};
const service = createSessionService({ storage: createMemoryStorage(), events: { publish: deliver } });
for (let s = 0; s < sessions; s++) await service.createSession({ id: `fan-${s}`, title: 'S4' });

const { url, server } = await startBaselineServer(async (variables) => {
  const { s, m } = variables as { s: string; m: InputOf<'message'> };
  await service.appendMessage(s, m);
  return { appendMessage: { __typename: 'AppendMessagePayload' } };
});

new WebSocketServer({ server, path: '/graphql' }).on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: { variables?: { s?: string } } };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe' && message.id !== undefined) {
      const entry = { socket, id: message.id };
      const session = message.payload?.variables?.s ?? '';
      const group = subscribers.get(session) ?? new Set();
      subscribers.set(session, group.add(entry));
      socket.once('close', () => group.delete(entry));
    }
  });
});

process.send?.({ url });
