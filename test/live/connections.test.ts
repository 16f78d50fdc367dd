import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SLOW_SUBSCRIBER_CLOSE_CODE } from '../../src/graphql/schema/subscription.js';
import { eventually, MESSAGE_ADDED, startApp, subscribe, type MessageAdded, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A bare graphql-transport-ws client, to do what well-behaved clients never do. */
async function rawClient(url: string, init = true): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await once(socket, 'open');
  if (init) {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const [ack] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(String(ack))).toEqual({ type: 'connection_ack' });
  }
  return socket;
}

const closed = (socket: WebSocket) => once(socket, 'close') as Promise<[number, Buffer]>;

describe('WebSocket connections', () => {
  it('cuts off a client that stops reading, without holding back the others', async () => {
    running = await startApp({ subscriptionBuffer: 20 });
    const { service } = running.app;
    await service.createSession({ id: 'firehose' });
    const fast = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 'firehose' });
    const slow = await rawClient(running.wsUrl);
    slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: MESSAGE_ADDED, variables: { id: 'firehose' } } }));
    await eventually(() => running!.app.events.listenerCount() === 2, 5000, 'both subscriptions');
    // The slow client stops reading its socket: the server's sends to it stop completing.
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = 'x'.repeat(60_000);
    for (let batch = 1; batch <= 25; batch++) {
      await service.appendMessages('firehose', { messages: Array.from({ length: 10 }, () => ({ role: 'USER' as const, content: big })) });
      // The reading client keeps up, batch after batch, while the other one's backlog grows.
      await fast.received(batch * 10, 5000);
    }
    expect(fast.values.map((v) => v.messageAdded.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    await eventually(() => running!.app.events.listenerCount() === 1, 10_000, 'the slow subscriber to be cut off');
    const closing = closed(slow);
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    const [code, reason] = await closing;
    expect(code).toBe(SLOW_SUBSCRIBER_CLOSE_CODE);
    expect(String(reason)).toMatch(/too slow/);
  });

  it('closes a connection that never sends connection_init (4408)', async () => {
    running = await startApp({ wsInitTimeoutMs: 200 });
    const silent = await rawClient(running.wsUrl, false);
    const [code] = await closed(silent);
    expect(code).toBe(4408);
  });

  it('pings connected clients to keep them alive', async () => {
    running = await startApp({ wsKeepAliveMs: 100 });
    const socket = await rawClient(running.wsUrl);
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(pings).toBeGreaterThanOrEqual(2);
    socket.close();
  });

  it('closes every socket with 1001 when the server stops', async () => {
    running = await startApp();
    await running.app.service.createSession({ id: 's' });
    const socket = await rawClient(running.wsUrl);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: MESSAGE_ADDED, variables: { id: 's' } } }));
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    const closing = closed(socket);
    await running.app.stop();
    const [code] = await closing;
    expect(code).toBe(1001);
    expect(running.app.events.listenerCount()).toBe(0);
  });

  it('applies HTTP validation to WebSocket operations', async () => {
    running = await startApp();
    const socket = await rawClient(running.wsUrl);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { nope }' } }));
    const [message] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(String(message))).toMatchObject({ type: 'error', id: '1', payload: [{ message: expect.stringMatching(/Cannot query field "nope"/) }] });
    socket.close();
  });
});
