import { cpuProfileFlags, startChild } from './child.js';
import type { Profile } from './profile.js';

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
  clientCpuMs: number;
}

interface ClientReport extends Omit<FanoutFigures, 'p50' | 'p99' | 'max' | 'serverCpuMsPerMessage'> {
  latencies: number[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

export interface FanoutCase {
  subscribers: number;
  /** The baseline: the same service, a bare graphql-transport-ws broadcast (baseline-live.ts). */
  baseline: FanoutFigures;
  parley: FanoutFigures;
}

/**
 * S4: for each subscriber count, R and then Parley, each in a fresh process, with a separate
 * process holding the subscribers and appending; latency is publish-to-receive (see
 * fanout-clients.ts). R (baseline-live.ts) shows what the same clients measure on this machine
 * when the server does no GraphQL work per subscriber: the floor under Parley's figures.
 */
export async function runFanout(profile: Profile, say: (line: string) => void): Promise<FanoutCase[]> {
  const results: FanoutCase[] = [];
  for (const subscribers of profile.fanout.subscribers) {
    const baseline = await measure('baseline-live.ts', subscribers, profile);
    const parley = await measure('serve-live.ts', subscribers, profile);
    const show = (f: FanoutFigures) => `p50 ${f.p50} ms, p99 ${f.p99} ms, lost ${f.lost} of ${f.expected}`;
    say(`  ${subscribers} subscribers: R ${show(baseline)}; Parley ${show(parley)}`);
    results.push({ subscribers, baseline, parley });
  }
  return results;
}

async function measure(serverScript: string, subscribers: number, profile: Profile): Promise<FanoutFigures> {
  // BENCH_CPU_PROF=<dir> profiles the Parley server (node --cpu-prof), as for the HTTP scenarios.
  const server = startChild<{ url: string }>(serverScript, [], serverScript === 'serve-live.ts' ? cpuProfileFlags(String(subscribers)) : []);
  try {
    const { url } = await server.message;
    const clients = startChild<{ ready: true }>('fanout-clients.ts', [url, String(subscribers), String(profile.fanout.seconds), String(profile.fanout.rate)]);
    try {
      await clients.message;
      const cpuBefore = await server.ask<NodeJS.CpuUsage>('cpu');
      const report = await clients.ask<ClientReport>('go');
      const cpuAfter = await server.ask<NodeJS.CpuUsage>('cpu');
      const serverCpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
      const { latencies, ...counts } = report;
      return {
        ...counts,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: latencies[latencies.length - 1] ?? NaN,
        serverCpuMsPerMessage: serverCpuMs / Math.max(1, report.messages),
      };
    } finally {
      await clients.stop();
    }
  } finally {
    await server.stop();
  }
}
