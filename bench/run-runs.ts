import { cpuProfileFlags, startChild, type Child } from './child.js';
import type { Profile } from './profile.js';
import { median } from './run-http.js';

/** What one system's measured batch gave: R (the SDK alone) or Parley (as its subscribers saw it). */
export interface RunsFigures {
  /** Deltas that reached the system from the model: runs x tokens. */
  modelDeltas: number;
  /** Deliveries expected at the receivers: R's own streams, or every subscriber of every run. */
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Subscriptions (Parley) or streams (R) that ended wrong: a gap, a missing END, a failed run, text unequal to the stored message. */
  wrong: number;
  /** Deltas a subscriber got by replay (sent before it subscribed): not in the latencies. */
  replayed: number;
  firstWrong: string[];
  /** Provider-send to receive, ms (µs precision). */
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  cpuMs: number;
  /** The system's CPU time per delta from the model. */
  cpuMicrosPerDelta: number;
  /** The model process's CPU time per delta it sent (the same in both systems: a check on the pacing). */
  modelCpuMicrosPerDelta: number;
  clientCpuMs?: number;
}

export interface RunsOutcome {
  runs: number;
  subscribers: number;
  tokens: number;
  tokensPerSecond: number;
  /** One entry per round, R and Parley back to back (alternating which goes first). */
  rounds: { r: RunsFigures; p: RunsFigures }[];
  /** Medians over the rounds (max: the largest of any round; lost, duplicates, wrong: summed). */
  r: Summary;
  p: Summary;
  /** Median of the per-round ratios of CPU per delta, Parley / R. */
  cpuRatio: number;
}

export interface Summary {
  p50: number;
  p99: number;
  max: number;
  lost: number;
  duplicates: number;
  wrong: number;
  replayed: number;
  cpuMicrosPerDelta: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * S6: model runs. One model process (bench/model-server.ts) for the whole scenario; per round, R
 * (bench/baseline-runs.ts: the SDK reading the streams, nothing else) and Parley
 * (bench/serve-runs.ts, driven by bench/run-clients.ts in a process of its own), each in a fresh
 * process, alternating which goes first. Each system's CPU time is read over IPC before and after
 * its measured batch (after a warm-up batch), divided by the deltas it got from the model.
 */
export async function runRuns(profile: Profile, say: (line: string) => void): Promise<RunsOutcome> {
  const c = profile.runs;
  const model = startChild<{ baseURL: string }>('model-server.ts', [String(c.tokensPerSecond), String(c.firstTokenDelayMs)]);
  try {
    const { baseURL } = await model.message;
    const rounds: { r: RunsFigures; p: RunsFigures }[] = [];
    for (let round = 0; round < c.rounds; round++) {
      const order = round % 2 === 0 ? (['r', 'p'] as const) : (['p', 'r'] as const);
      const figures: Partial<{ r: RunsFigures; p: RunsFigures }> = {};
      for (const who of order) figures[who] = who === 'r' ? await measureBaseline(baseURL, model, profile) : await measureParley(baseURL, model, profile, round);
      const { r, p } = figures as { r: RunsFigures; p: RunsFigures };
      const show = (f: RunsFigures) => `p50 ${round1(f.p50)} ms, p99 ${round1(f.p99)} ms, ${round1(f.cpuMicrosPerDelta)} µs CPU/delta, lost ${f.lost}, wrong ${f.wrong}`;
      say(`  round ${round + 1}: R ${show(r)}; Parley ${show(p)}`);
      for (const line of p.firstWrong) say(`    Parley: ${line}`);
      rounds.push({ r, p });
    }
    const summary = (pick: (x: { r: RunsFigures; p: RunsFigures }) => RunsFigures): Summary => {
      const all = rounds.map(pick);
      const sum = (f: (x: RunsFigures) => number) => all.reduce((n, x) => n + f(x), 0);
      return {
        p50: round1(median(all.map((x) => x.p50))),
        p99: round1(median(all.map((x) => x.p99))),
        max: round1(Math.max(...all.map((x) => x.max))),
        lost: sum((x) => x.lost),
        duplicates: sum((x) => x.duplicates),
        wrong: sum((x) => x.wrong),
        replayed: sum((x) => x.replayed),
        cpuMicrosPerDelta: round1(median(all.map((x) => x.cpuMicrosPerDelta))),
      };
    };
    return {
      runs: c.runs,
      subscribers: c.subscribers,
      tokens: c.tokens,
      tokensPerSecond: c.tokensPerSecond,
      rounds,
      r: summary((x) => x.r),
      p: summary((x) => x.p),
      cpuRatio: Math.round(median(rounds.map(({ r, p }) => p.cpuMicrosPerDelta / r.cpuMicrosPerDelta)) * 100) / 100,
    };
  } finally {
    await model.stop();
  }
}

const cpuMs = (before: NodeJS.CpuUsage, after: NodeJS.CpuUsage) => (after.user + after.system - before.user - before.system) / 1000;

/** Reads the system's and the model's CPU time around `batch`. */
async function timed<T>(system: Child<unknown>, model: Child<unknown>, batch: () => Promise<T>) {
  const before = await system.ask<NodeJS.CpuUsage>('cpu');
  const modelBefore = await model.ask<NodeJS.CpuUsage>('cpu');
  const result = await batch();
  const after = await system.ask<NodeJS.CpuUsage>('cpu');
  const modelAfter = await model.ask<NodeJS.CpuUsage>('cpu');
  return { result, cpuMs: cpuMs(before, after), modelCpuMs: cpuMs(modelBefore, modelAfter) };
}

interface BaselineReport {
  seconds: number;
  expected: number;
  delivered: number;
  lost: number;
  wrong: number;
  p50: number;
  p99: number;
  max: number;
}

async function measureBaseline(baseURL: string, model: Child<unknown>, profile: Profile): Promise<RunsFigures> {
  const c = profile.runs;
  const child = startChild<{ ready: true }>('baseline-runs.ts', [baseURL, String(c.runs), String(c.tokens), String(c.warmupTokens)]);
  try {
    await child.message;
    const { result, cpuMs, modelCpuMs } = await timed(child, model, () => child.ask<BaselineReport>('go'));
    const modelDeltas = c.runs * c.tokens;
    return {
      modelDeltas,
      expected: result.expected,
      delivered: result.delivered,
      lost: result.lost,
      duplicates: 0,
      wrong: result.wrong,
      replayed: 0,
      firstWrong: [],
      p50: result.p50,
      p99: result.p99,
      max: result.max,
      seconds: result.seconds,
      cpuMs,
      cpuMicrosPerDelta: (cpuMs * 1000) / modelDeltas,
      modelCpuMicrosPerDelta: (modelCpuMs * 1000) / modelDeltas,
    };
  } finally {
    await child.stop();
  }
}

interface ClientsReport extends BaselineReport {
  duplicates: number;
  gaps: number;
  replayed: number;
  unended: number;
  firstWrong: string[];
  clientCpuMs: number;
}

async function measureParley(baseURL: string, model: Child<unknown>, profile: Profile, round: number): Promise<RunsFigures> {
  const c = profile.runs;
  // BENCH_CPU_PROF=<dir> profiles the Parley server (node --cpu-prof), one profile per round.
  const server = startChild<{ url: string }>('serve-runs.ts', [baseURL, String(c.runs)], cpuProfileFlags(`runs-${round + 1}`));
  try {
    const { url } = await server.message;
    const args = [url, c.runs, c.subscribers, c.tokens, c.warmupTokens, c.tokensPerSecond, c.firstTokenDelayMs].map(String);
    const clients = startChild<{ ready: true }>('run-clients.ts', args);
    try {
      await clients.message;
      const { result, cpuMs, modelCpuMs } = await timed(server, model, () => clients.ask<ClientsReport>('go'));
      const modelDeltas = c.runs * c.tokens;
      return {
        modelDeltas,
        expected: result.expected,
        delivered: result.delivered,
        lost: result.lost,
        duplicates: result.duplicates,
        wrong: result.wrong + result.unended,
        replayed: result.replayed,
        firstWrong: result.firstWrong,
        p50: result.p50,
        p99: result.p99,
        max: result.max,
        seconds: result.seconds,
        cpuMs,
        cpuMicrosPerDelta: (cpuMs * 1000) / modelDeltas,
        modelCpuMicrosPerDelta: (modelCpuMs * 1000) / modelDeltas,
        clientCpuMs: result.clientCpuMs,
      };
    } finally {
      await clients.stop();
    }
  } finally {
    await server.stop();
  }
}
