import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/*
 * Some of S4's subscribers, in their own process: `fanout-clients.ts <url> <sessions> <from> <to>
 * <warm-up>`. Opens graphql-ws connections for subscribers from..to-1, subscriber i subscribed to
 * messageAdded on session fan-<i mod sessions>, and says { ready } over IPC. Then answers the
 * parent (run-fanout.ts, which appends): 'warm' with { warm } (every subscriber has received the
 * <warm-up> first messages of its session, not measured), 'go' (the measured appends begin: CPU
 * is counted from here) with { go }, and { expected } (how many measured
 * messages each session got) with its report, once every subscriber has them all or nothing has
 * arrived for QUIET_MS: the publish-to-receive latency of every delivery and the count received.
 * A message's publish time is its createdAt, set by the server just before it stores and
 * publishes it; both processes read the same clock (millisecond resolution).
 */
const [url = '', sessionsArg = '1', fromArg = '0', toArg = '1', warmupArg = '1'] = process.argv.slice(2);
const [sessions, from, to, warmup] = [sessionsArg, fromArg, toArg, warmupArg].map(Number) as [number, number, number, number];
const count = to - from;
/** Connections being opened at once: more would overflow the server's listen backlog. */
const OPENING = 200;
const QUIET_MS = 5000;
process.on('disconnect', () => process.exit(0));

const SUBSCRIBE = 'subscription($s: ID!) { messageAdded(sessionId: $s) { seq createdAt } }';
const sessionOf = (k: number) => (from + k) % sessions;
const latencies: number[] = [];
const seen = Array.from({ length: count }, () => new Set<number>());
const warmedUp = Array.from({ length: count }, () => 0);
const sockets: WebSocket[] = [];
let lastDelivery = Date.now();

// A bare graphql-transport-ws client (connection_init, subscribe, then next messages): the load
// generator must cost little, since it shares the machine with the server it measures.
function subscribe(k: number): Promise<void> {
  return new Promise((resolve, reject) => {
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
          seen[k]?.add(seq);
          lastDelivery = received;
        } else warmedUp[k] = seq;
      } else if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { s: `fan-${sessionOf(k)}` } } }));
        resolve();
      } else if (message.type !== 'ping' && message.type !== 'pong') {
        process.stderr.write(`subscriber ${from + k}: ${String(data)}\n`);
      }
    });
  });
}

const opening = new Set<Promise<void>>();
for (let k = 0; k < count; k++) {
  const p = subscribe(k).finally(() => opening.delete(p));
  opening.add(p);
  if (opening.size >= OPENING) await Promise.race(opening);
}
await Promise.all(opening);
// The subscriptions are sent once connected; give the server a moment to register them all.
await sleep(500 + Math.min(count, 3000));
process.send?.({ ready: true });

let cpuStart = process.cpuUsage();
process.on('message', (question: unknown) => {
  if (question === 'go') {
    cpuStart = process.cpuUsage();
    process.send?.({ go: true });
  } else if (question === 'warm') process.send?.({ warm: warmedUp.every((seq) => seq >= warmup) });
  else if (typeof question === 'object' && question !== null && 'expected' in question) void report((question as { expected: number[] }).expected);
});

async function report(expected: number[]) {
  const complete = () => seen.every((s, k) => s.size >= (expected[sessionOf(k)] ?? 0));
  while (!complete() && Date.now() - lastDelivery < QUIET_MS) await sleep(20);
  const cpu = process.cpuUsage(cpuStart);
  const want = seen.reduce((n, _, k) => n + (expected[sessionOf(k)] ?? 0), 0);
  const received = seen.reduce((n, s) => n + s.size, 0);
  process.send?.({ expected: want, received, latencies, clientCpuMs: (cpu.user + cpu.system) / 1000 });
  for (const socket of sockets) socket.close();
}
