import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { contentOf } from './fixtures.js';

/*
 * S4's subscribers and writer, in their own process: `fanout-clients.ts <url> <subscribers>
 * <seconds> <rate>`. Opens that many graphql-ws connections, each subscribed to messageAdded on
 * session "fan", and warms the server up with `rate` messages (one second's worth, waiting for
 * every delivery; not measured). Then says { ready } over IPC and waits for any message back,
 * appends `rate` messages a second for `seconds` over HTTP, then reports over IPC
 * the publish-to-receive latency of every delivery and how many were lost. A message's publish
 * time is its createdAt, set by the server just before it stores and publishes it; both processes
 * read the same clock (millisecond resolution).
 */
const [url = '', subscribers = '1', seconds = '10', rate = '10'] = process.argv.slice(2);
const count = Number(subscribers);
const total = Number(seconds) * Number(rate);
const warmup = Number(rate);
process.on('disconnect', () => process.exit(0));

const SUBSCRIBE = 'subscription { messageAdded(sessionId: "fan") { seq createdAt } }';
const APPEND = 'mutation($m: MessageInput!) { appendMessage(sessionId: "fan", message: $m) { __typename } }';
const latencies: number[] = [];
const seen = Array.from({ length: count }, () => new Set<number>());
const sockets: WebSocket[] = [];
const warmedUp = Array.from({ length: count }, () => 0);
let subscribed = 0;

// A bare graphql-transport-ws client (connection_init, subscribe, then next messages): the load
// generator must cost little, since it shares the machine with the server it measures.
const ready = new Promise<void>((resolve, reject) => {
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    sockets.push(socket);
    socket.on('error', reject);
    socket.on('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data) => {
      const received = Date.now();
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { messageAdded: { seq: number; createdAt: string } } } };
      if (message.type === 'next' && message.payload?.data) {
        const { seq, createdAt } = message.payload.data.messageAdded;
        if (seq > warmup) {
          latencies.push(received - Date.parse(createdAt));
          seen[i]?.add(seq);
        } else warmedUp[i] = seq;
      } else if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE } }));
        if ((subscribed += 1) === count) resolve();
      } else if (message.type !== 'ping' && message.type !== 'pong') {
        process.stderr.write(`subscriber ${i}: ${String(data)}\n`);
      }
    });
  }
});
await ready;
// The subscriptions are sent once connected; give the server a moment to register them all.
await sleep(500 + count);
// Warm-up: the first deliveries run cold code on both sides; R and Parley get the same.
for (let k = 1; k <= warmup; k++) {
  if (!(await append(-k))) throw new Error(`warm-up append ${k} failed`);
  await sleep(1000 / Number(rate));
}
const warmDeadline = Date.now() + 10_000;
while (warmedUp.some((seq) => seq < warmup) && Date.now() < warmDeadline) await sleep(20);
if (warmedUp.some((seq) => seq < warmup)) throw new Error('warm-up messages did not reach every subscriber within 10 s');
// Wait for the parent's go (it reads the server's CPU time in between).
process.send?.({ ready: true });
await new Promise((resolve) => process.once('message', resolve));

const started = Date.now();
const cpuBefore = process.cpuUsage();
const appends: Promise<boolean>[] = [];
for (let k = 1; k <= total; k++) {
  const due = started + (k - 1) * (1000 / Number(rate));
  await sleep(Math.max(0, due - Date.now()));
  appends.push(append(k));
}
const appended = (await Promise.all(appends)).filter(Boolean).length;
// Let the last deliveries arrive.
const deadline = Date.now() + 5000;
while (seen.some((s) => s.size < appended) && Date.now() < deadline) await sleep(20);
const cpu = process.cpuUsage(cpuBefore);
const received = seen.reduce((n, s) => n + s.size, 0);
process.send?.({
  subscribers: count,
  messages: appended,
  failedAppends: total - appended,
  expected: count * appended,
  received,
  lost: count * appended - received,
  latencies: latencies.sort((a, b) => a - b),
  clientCpuMs: (cpu.user + cpu.system) / 1000,
});
for (const socket of sockets) socket.close();

function append(k: number): Promise<boolean> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: APPEND, variables: { m: { role: 'USER', content: contentOf(k) } } }),
  }).then(
    async (response) => ((await response.json()) as { data?: { appendMessage?: { __typename: string } } }).data?.appendMessage?.__typename === 'AppendMessagePayload',
    () => false,
  );
}
