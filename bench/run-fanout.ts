import { startChild } from './child.js';
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
  wallMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * S4: for each subscriber count, a fresh Parley process and a separate process holding the
 * subscribers and appending; latency is publish-to-receive (see fanout-clients.ts). No baseline:
 * the figures are latencies and losses, not throughput.
 */
export async function runFanout(profile: Profile, say: (line: string) => void): Promise<FanoutFigures[]> {
  const results: FanoutFigures[] = [];
  for (const subscribers of profile.fanout.subscribers) {
    const server = startChild<{ url: string }>('serve-live.ts', []);
    try {
      const { url } = await server.message;
      const clients = startChild<{ ready: true }>('fanout-clients.ts', [url, String(subscribers), String(profile.fanout.seconds), String(profile.fanout.rate)]);
      try {
        await clients.message;
        const cpuBefore = await server.ask<NodeJS.CpuUsage>('cpu');
        const report = await clients.ask<ClientReport>('go');
        const cpuAfter = await server.ask<NodeJS.CpuUsage>('cpu');
        const serverCpuMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
        const { latencies, wallMs: _wall, ...counts } = report;
        const figures = {
          ...counts,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          max: latencies[latencies.length - 1] ?? NaN,
          serverCpuMsPerMessage: serverCpuMs / Math.max(1, report.messages),
        };
        say(`  ${subscribers} subscribers: p50 ${figures.p50} ms, p99 ${figures.p99} ms, lost ${figures.lost} of ${figures.expected}`);
        results.push(figures);
      } finally {
        await clients.stop();
      }
    } finally {
      await server.stop();
    }
  }
  return results;
}
