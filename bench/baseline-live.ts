import { WebSocketServer, type WebSocket } from 'ws';
import { createMemoryStorage } from '../adapters/memory/index.js';
import type { SessionEvent } from '../src/core/events.js';
import type { InputOf } from '../src/core/schemas.js';
import { createSessionService } from '../src/core/service/index.js';
import { startBaselineServer } from './baseline-server.js';
import { followParent } from './child.js';

/*
 * S4's baseline R, in its own process: the same session service and in-memory adapter as Parley,
 * without GraphQL. It speaks just enough graphql-transport-ws for bench/fanout-clients.ts
 * (connection_init → connection_ack, subscribe → remember the socket and the id) and answers the
 * client's appendMessage POST (the HTTP baseline's server) by calling service.appendMessage. For every message the service
 * announces, it builds each subscriber's `next` message with JSON.stringify and sends it, as
 * graphql-ws does, but with no per-subscriber GraphQL execution, queue or async iterator.
 * Sends { url } to the parent over IPC, like serve-live.ts.
 */
followParent();

const subscribers = new Set<{ socket: WebSocket; id: string }>();
const deliver = (event: SessionEvent) => {
  if (event.type !== 'MESSAGES_ADDED' || event.session.id !== 'fan') return;
  for (const m of event.messages) {
    const messageAdded = { seq: m.seq, createdAt: m.createdAt.toISOString() };
    for (const s of subscribers) s.socket.send(JSON.stringify({ id: s.id, type: 'next', payload: { data: { messageAdded } } }));
  }
};
const service = createSessionService({ storage: createMemoryStorage(), events: { publish: deliver } });
await service.createSession({ id: 'fan', title: 'S4' });

const { url, server } = await startBaselineServer(async (variables) => {
  await service.appendMessage('fan', (variables as { m: InputOf<'message'> }).m);
  return { appendMessage: { __typename: 'AppendMessagePayload' } };
});

new WebSocketServer({ server, path: '/graphql' }).on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'subscribe' && message.id !== undefined) {
      const entry = { socket, id: message.id };
      subscribers.add(entry);
      socket.once('close', () => subscribers.delete(entry));
    }
  });
});

process.send?.({ url });
