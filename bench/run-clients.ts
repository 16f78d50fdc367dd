import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/*
 * S6's users, in their own process: `run-clients.ts <url> <runs> <subscribers> <tokens>
 * <warmupTokens> <tokensPerSecond> <firstTokenDelayMs>`. Opens runs x subscribers graphql-ws
 * connections (a bare graphql-transport-ws client, as in fanout-clients.ts, so that it costs
 * little). A batch: `runs` concurrent sendMessage calls over HTTP (session <prefix><i>, asking
 * for `tokens` tokens), and as soon as each answers, its run's `subscribers` connections
 * subscribe to runEvents(runId, afterOffset: 0); the batch is over when every subscription has had
 * its END. A warm-up batch of `warmupTokens`-token replies runs first (sessions w…, not measured);
 * then it says { ready } over IPC, waits for any message back, runs the measured batch (sessions
 * s…) and reports over IPC.
 *
 * Every token's text is its send time at the model (bench/model-server.ts), so each delivery
 * gives provider-send to subscriber-receive latency on the same clock (performance.timeOrigin +
 * performance.now() in both processes). A delta sent before its subscription was asked for would
 * be a replay, not a live delivery: it is counted apart and not in the latencies (the model's
 * first-token delay is there so that there are none). Checked per subscription: offsets dense from
 * 1, each once, END last with offset tokens + 1, its run SUCCEEDED, and the DELTA texts joined
 * equal to the stored message's content.
 */
const [url = '', runsArg = '1', subscribersArg = '1', tokensArg = '10', warmupArg = '10', rateArg = '50', firstDelayArg = '500'] = process.argv.slice(2);
const runs = Number(runsArg);
const subscribers = Number(subscribersArg);
const tokens = Number(tokensArg);
process.on('disconnect', () => process.exit(0));

const SEND =
  'mutation($s: ID!, $m: SendMessageInput!, $r: RunInput) { sendMessage(sessionId: $s, message: $m, run: $r) { __typename ... on SendMessagePayload { run { id } } ... on Error { message } } }';
const FOLLOW = 'subscription($id: ID!) { runEvents(runId: $id, afterOffset: 0) { offset type text run { status } message { content } } }';
const clock = () => performance.timeOrigin + performance.now();

interface Follow {
  tokens: number;
  subscribedAt: number;
  /** The next offset expected. */
  next: number;
  text: string;
  deltas: number;
  duplicates: number;
  gaps: number;
  replayed: number;
  wrong: string[];
  ended: boolean;
  measured: boolean;
}

interface Event {
  offset: number;
  type: 'DELTA' | 'END';
  text: string | null;
  run: { status: string } | null;
  message: { content: string } | null;
}

const latencies: number[] = [];
const follows: Map<string, Follow>[] = [];
const sockets: WebSocket[] = [];
let open = 0;
let endsSeen = 0;
let problems: string[] = [];

function onEvent(f: Follow, e: Event, received: number): void {
  if (e.offset < f.next) {
    f.duplicates += 1;
    return;
  }
  if (e.offset > f.next) f.gaps += e.offset - f.next;
  f.next = e.offset + 1;
  if (e.type === 'DELTA') {
    const text = e.text ?? '';
    f.text += text;
    f.deltas += 1;
    const sent = Number.parseFloat(text);
    if (!Number.isFinite(sent)) f.wrong.push(`delta ${e.offset} has no send time: ${JSON.stringify(text)}`);
    else if (sent < f.subscribedAt) f.replayed += 1;
    else if (f.measured) latencies.push(received - sent);
    return;
  }
  f.ended = true;
  endsSeen += 1;
  if (e.offset !== f.tokens + 1) f.wrong.push(`END at offset ${e.offset}, expected ${f.tokens + 1}`);
  if (e.run?.status !== 'SUCCEEDED') f.wrong.push(`run ended ${e.run?.status}`);
  if (e.message?.content !== f.text) f.wrong.push('the deltas joined differ from the stored message');
}

await new Promise<void>((resolve, reject) => {
  for (let i = 0; i < runs * subscribers; i++) {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const mine = new Map<string, Follow>();
    sockets.push(socket);
    follows.push(mine);
    socket.on('error', reject);
    socket.on('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data) => {
      const received = clock();
      const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: { data?: { runEvents: Event }; errors?: unknown } };
      const f = message.id === undefined ? undefined : mine.get(message.id);
      if (message.type === 'next' && f && message.payload?.data) onEvent(f, message.payload.data.runEvents, received);
      else if (message.type === 'connection_ack') {
        if ((open += 1) === runs * subscribers) resolve();
      } else if (message.type === 'complete' && f) {
        if (!f.ended) f.wrong.push('completed before its END');
      } else if (message.type !== 'ping' && message.type !== 'pong') {
        problems.push(`connection ${i}: ${String(data).slice(0, 300)}`);
      }
    });
  }
});

async function sendMessage(sessionId: string, count: number): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SEND, variables: { s: sessionId, m: { content: 'Tell me a long story.', clientId: sessionId }, r: { maxOutputTokens: count } } }),
  });
  const body = (await response.json()) as { data?: { sendMessage: { __typename: string; run?: { id: string }; message?: string } }; errors?: unknown };
  const id = body.data?.sendMessage.run?.id;
  if (!id) throw new Error(`sendMessage ${sessionId}: ${JSON.stringify(body).slice(0, 300)}`);
  return id;
}

/** One batch: every run started at once, each followed by its subscribers; resolves when every END has arrived. */
async function batch(prefix: string, count: number, measured: boolean): Promise<void> {
  const before = endsSeen;
  await Promise.all(
    Array.from({ length: runs }, async (_, i) => {
      const runId = await sendMessage(`${prefix}${i + 1}`, count);
      for (let j = 0; j < subscribers; j++) {
        const k = i * subscribers + j;
        const f: Follow = { tokens: count, subscribedAt: clock(), next: 1, text: '', deltas: 0, duplicates: 0, gaps: 0, replayed: 0, wrong: [], ended: false, measured };
        follows[k]?.set(prefix, f);
        sockets[k]?.send(JSON.stringify({ id: prefix, type: 'subscribe', payload: { query: FOLLOW, variables: { id: runId } } }));
      }
    }),
  );
  const deadline = Date.now() + Number(firstDelayArg) + (count * 1000) / Number(rateArg) + 30_000;
  while (endsSeen - before < runs * subscribers && Date.now() < deadline) await sleep(20);
}

await batch('w', Number(warmupArg), false);
const warm = follows.flatMap((m) => [...m.values()]);
const unwarm = warm.filter((f) => !f.ended || f.wrong.length > 0 || f.gaps > 0);
if (unwarm.length > 0) throw new Error(`warm-up: ${unwarm.length} of ${warm.length} subscriptions did not end cleanly (${unwarm[0]?.wrong.join('; ')})`);
latencies.length = 0;
problems = [];
process.send?.({ ready: true });
await new Promise((resolve) => process.once('message', resolve));

const started = clock();
const cpuBefore = process.cpuUsage();
await batch('s', tokens, true);
const seconds = (clock() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const all = follows.map((m) => m.get('s')).filter((f) => f !== undefined);
const sum = (pick: (f: Follow) => number) => all.reduce((n, f) => n + pick(f), 0);
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
const delivered = sum((f) => f.deltas);
const wrong = all.flatMap((f) => f.wrong);
process.send?.({
  runs,
  subscribers,
  tokens,
  seconds,
  expected: runs * subscribers * tokens,
  delivered,
  lost: runs * subscribers * tokens - delivered,
  duplicates: sum((f) => f.duplicates),
  gaps: sum((f) => f.gaps),
  replayed: sum((f) => f.replayed),
  unended: all.filter((f) => !f.ended).length,
  wrong: wrong.length,
  firstWrong: [...wrong, ...problems].slice(0, 5),
  p50: q(0.5),
  p99: q(0.99),
  max: latencies.at(-1) ?? Number.NaN,
  clientCpuMs: (cpu.user + cpu.system) / 1000,
});
for (const socket of sockets) socket.close();
