import { setTimeout as sleep } from 'node:timers/promises';
import { cpuProfileFlags, startChild, type Child } from './child.js';
import { contentOf } from './fixtures.js';
import type { FanoutCaseProfile, Profile } from './profile.js';

export interface FanoutFigures {
  subscribers: number;
  messages: number;
  failedAppends: number;
  expected: number;
  received: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time of the server per appended message while appending (every delivery of it included). */
  serverCpuMsPerMessage: number;
  /** CPU time of all the subscriber processes together over the same time. */
  clientCpuMs: number;
}

interface ClientReport {
  expected: number;
  received: number;
  latencies: number[];
  clientCpuMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
/** Subscribers per client process: 10,000 sockets and their JSON in one process would make the client the bottleneck. */
const PER_PROCESS = 2500;
const WARM_TIMEOUT_MS = 30_000;

export interface FanoutCase {
  /** All subscribers, over `sessions` sessions (as many on each). */
  subscribers: number;
  sessions: number;
  /** The baseline: the same service, a bare graphql-transport-ws broadcast (baseline-live.ts). */
  baseline: FanoutFigures;
  parley: FanoutFigures;
}

/**
 * S4: for each case of the profile, R and then Parley, each in a fresh process, with separate
 * processes holding the subscribers (fanout-clients.ts) while this one appends over HTTP;
 * latency is publish-to-receive. R (baseline-live.ts) shows what the same clients measure on this
 * machine when the server does no GraphQL work per subscriber: the floor under Parley's figures.
 */
export async function runFanout(profile: Profile, say: (line: string) => void): Promise<FanoutCase[]> {
  const results: FanoutCase[] = [];
  for (const c of profile.fanout.cases) {
    const baseline = await measure('baseline-live.ts', c, profile.fanout.seconds);
    const parley = await measure('serve-live.ts', c, profile.fanout.seconds);
    const show = (f: FanoutFigures) => `p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms, lost ${f.lost} of ${f.expected}, ${f.serverCpuMsPerMessage.toFixed(1)} ms CPU/msg`;
    say(`  ${c.subscribers} subscribers on ${c.sessions} session(s), ${c.rate} messages/s: R ${show(baseline)}; Parley ${show(parley)}`);
    results.push({ subscribers: c.subscribers, sessions: c.sessions, baseline, parley });
  }
  return results;
}

async function measure(serverScript: string, c: FanoutCaseProfile, seconds: number): Promise<FanoutFigures> {
  // BENCH_CPU_PROF=<dir> profiles the Parley server (node --cpu-prof), as for the HTTP scenarios.
  const profileDir = `${c.subscribers}${c.sessions > 1 ? `x${c.sessions}` : ''}`;
  const server = startChild<{ url: string }>(serverScript, [String(c.sessions)], serverScript === 'serve-live.ts' ? cpuProfileFlags(profileDir) : []);
  const clients: Child<{ ready: true }>[] = [];
  try {
    const { url } = await server.message;
    // One second's worth of messages warms both sides up (not measured); at least one per session.
    const warmup = Math.max(1, Math.round(c.rate / c.sessions));
    for (let from = 0; from < c.subscribers; from += PER_PROCESS) {
      const to = Math.min(c.subscribers, from + PER_PROCESS);
      clients.push(startChild('fanout-clients.ts', [url, String(c.sessions), String(from), String(to), String(warmup)]));
    }
    await Promise.all(clients.map((client) => client.message));
    const append = appender(url);
    for (let k = 0; k < warmup * c.sessions; k++) {
      if (!(await append(k % c.sessions, -k))) throw new Error(`warm-up append ${k + 1} failed`);
      await sleep(1000 / c.rate);
    }
    const warmBy = Date.now() + WARM_TIMEOUT_MS;
    while (!(await everyone(clients, 'warm'))) {
      if (Date.now() > warmBy) throw new Error(`warm-up messages did not reach every subscriber within ${WARM_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
    await Promise.all(clients.map((client) => client.ask('go')));
    const cpuBefore = await server.ask<NodeJS.CpuUsage>('cpu');
    const total = seconds * c.rate;
    const started = Date.now();
    const appends: Promise<boolean>[] = [];
    for (let k = 0; k < total; k++) {
      await sleep(Math.max(0, started + k * (1000 / c.rate) - Date.now()));
      appends.push(append(k % c.sessions, k + 1));
    }
    const done = await Promise.all(appends);
    const expected = Array.from({ length: c.sessions }, (_, s) => done.filter((ok, k) => ok && k % c.sessions === s).length);
    const reports = await Promise.all(clients.map((client) => client.ask<ClientReport>({ expected })));
    const cpuAfter = await server.ask<NodeJS.CpuUsage>('cpu');
    const serverCpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const sum = (f: (r: ClientReport) => number) => reports.reduce((n, r) => n + f(r), 0);
    const messages = done.filter(Boolean).length;
    return {
      subscribers: c.subscribers,
      messages,
      failedAppends: total - messages,
      expected: sum((r) => r.expected),
      received: sum((r) => r.received),
      lost: sum((r) => r.expected - r.received),
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies[latencies.length - 1] ?? NaN,
      serverCpuMsPerMessage: serverCpuMs / Math.max(1, messages),
      clientCpuMs: sum((r) => r.clientCpuMs),
    };
  } finally {
    await Promise.all(clients.map((client) => client.stop()));
    await server.stop();
  }
}

const everyone = async (clients: Child<unknown>[], question: string) =>
  (await Promise.all(clients.map((client) => client.ask<{ warm: boolean }>(question)))).every((answer) => answer.warm);

const APPEND = 'mutation($s: ID!, $m: MessageInput!) { appendMessage(sessionId: $s, message: $m) { __typename } }';

/** Appends message k to session fan-<s> over HTTP; true when the server says it did. */
function appender(url: string) {
  return (s: number, k: number): Promise<boolean> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: APPEND, variables: { s: `fan-${s}`, m: { role: 'USER', content: contentOf(Math.abs(k)) } } }),
    }).then(
      async (response) => ((await response.json()) as { data?: { appendMessage?: { __typename: string } } }).data?.appendMessage?.__typename === 'AppendMessagePayload',
      () => false,
    );
}
