import { isDeepStrictEqual } from 'node:util';
import { cpuProfileFlags, startChild, type Child } from './child.js';
import { load, post, requestBody, type LoadResult } from './load.js';
import type { Profile } from './profile.js';
import type { HttpScenario, LoadCase } from './scenario.js';
import { CORE_SYSTEMS, SYSTEM_NAMES, type System } from './systems.js';

/** One system's medians over the rounds. */
export interface SystemFigures {
  rps: number;
  p99: number;
  /** Server CPU time per answered request, in microseconds: less sensitive to other load than req/s. */
  cpuMicros: number;
}

export interface CaseFigures {
  label: string;
  /** One entry per round: every system measured back to back, in an order rotated each round. */
  rounds: Partial<Record<System, LoadResult>>[];
  /** Medians over the rounds, for each system measured. */
  systems: Partial<Record<System, SystemFigures>>;
  /** Each round's Parley / R and Parley / Mercurius. */
  roundRatios: { parleyToR: number; parleyToMercurius: number }[];
  /** Medians of the per-round ratios. */
  ratios: {
    /** Parley / R (the like-for-like R). */
    parleyToR: number;
    /** Parley / Mercurius. */
    parleyToMercurius: number;
    /** Parley / R bare, where measured. */
    parleyToRBare?: number;
    /** Parley with metrics / Parley without, where measured. */
    metricsOnToOff?: number;
    /** Parley (the lean HTTP path, the default) / Parley with LEAN_HTTP=false (yoga's path), where measured. */
    leanToYoga?: number;
  };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The order of round `round`: the list rotated by one more place each round, so no system is always first or last. */
export const rotate = <T>(list: T[], round: number): T[] => list.map((_, i) => list[(i + round) % list.length] as T);

/**
 * Runs one HTTP scenario: starts every system in its own process (same seed), checks that all
 * give Parley's answer, warms them up, then measures them one after the other, round after
 * round, in an order rotated each round, so that the machine's background noise falls on all alike.
 */
export async function runHttpScenario(scenario: HttpScenario, profile: Profile, say: (line: string) => void): Promise<CaseFigures[]> {
  const systems: System[] = [...CORE_SYSTEMS, ...(scenario.extraSystems ?? [])];
  const servers = new Map<System, Child<{ url: string }>>(
    systems.map((s) => [s, startChild<{ url: string }>('serve.ts', [s, scenario.id, profile.name], serverFlags(s))]),
  );
  const server = (s: System) => servers.get(s) as Child<{ url: string }>;
  try {
    const urls = new Map<System, string>();
    for (const s of systems) urls.set(s, (await server(s).message).url);
    const cases = scenario.cases(profile).map((c) => ({ ...c, bodies: c.variables.map((v) => requestBody(scenario.query, v)) }));
    for (const c of cases) await probe(scenario, c, urls);
    const run = async (s: System, c: (typeof cases)[number], seconds: number) => {
      const result = await load(urls.get(s) as string, c.bodies, seconds, profile.connections, () => server(s).ask('cpu'));
      const failure = server(s).failure();
      if (failure) throw new Error(failure);
      if (result.failures > 0) throw new Error(`${scenario.id} ${c.label}: ${result.failures} failed requests on ${SYSTEM_NAMES[s]}`);
      return result;
    };
    for (const c of cases) for (const s of systems) await run(s, c, profile.warmupSeconds);
    const rounds = cases.map(() => [] as Partial<Record<System, LoadResult>>[]);
    for (let round = 0; round < profile.rounds; round++) {
      for (const [i, c] of cases.entries()) {
        const got: Partial<Record<System, LoadResult>> = {};
        for (const s of rotate(systems, round)) got[s] = await run(s, c, profile.roundSeconds);
        rounds[i]?.push(got);
        const shown = systems.map((s) => `${SYSTEM_NAMES[s]} ${got[s]?.rps.toFixed(0)}/s (${cpu(got[s])})`).join(', ');
        say(`  ${scenario.id} ${c.label} round ${round + 1}: ${shown}; Parley/R ${ratio(got, 'parley', 'r').toFixed(2)}, Parley/Mercurius ${ratio(got, 'parley', 'mercurius').toFixed(2)}`);
      }
    }
    return cases.map((c, i) => summarize(c.label, systems, rounds[i] ?? []));
  } finally {
    await Promise.all(systems.map((s) => server(s).stop()));
  }
}

const cpu = (x: LoadResult | undefined) => (x ? `cpu ${pct(x.serverCpu)}, load ${pct(x.loadCpu)}` : '');
const ratio = (round: Partial<Record<System, LoadResult>>, a: System, b: System) => (round[a]?.rps ?? NaN) / (round[b]?.rps ?? NaN);

/** BENCH_CPU_PROF=<dir> profiles each Parley server process (node --cpu-prof) for the whole scenario: `parley` into <dir>, the others into <dir>/<system>. */
function serverFlags(s: System): string[] {
  return s === 'parley' ? cpuProfileFlags() : s.startsWith('parley') ? cpuProfileFlags(s) : [];
}

function summarize(label: string, systems: System[], rounds: Partial<Record<System, LoadResult>>[]): CaseFigures {
  const of = (s: System) => rounds.map((r) => r[s] as LoadResult);
  const figures = Object.fromEntries(
    systems.map((s) => [
      s,
      { rps: median(of(s).map((x) => x.rps)), p99: median(of(s).map((x) => x.p99)), cpuMicros: median(of(s).map((x) => (x.serverCpu * 1e6) / x.rps)) },
    ]),
  );
  const medianRatio = (a: System, b: System) => median(rounds.map((r) => ratio(r, a, b)));
  return {
    label,
    rounds,
    systems: figures,
    roundRatios: rounds.map((r) => ({ parleyToR: ratio(r, 'parley', 'r'), parleyToMercurius: ratio(r, 'parley', 'mercurius') })),
    ratios: {
      parleyToR: medianRatio('parley', 'r'),
      parleyToMercurius: medianRatio('parley', 'mercurius'),
      ...(systems.includes('r-bare') && { parleyToRBare: medianRatio('parley', 'r-bare') }),
      ...(systems.includes('parley-metrics') && { metricsOnToOff: medianRatio('parley-metrics', 'parley') }),
      ...(systems.includes('parley-yoga') && { leanToYoga: medianRatio('parley', 'parley-yoga') }),
    },
  };
}

/**
 * Every system must answer the case's first request as Parley does (reads: equal; writes: equal
 * in shape), and Parley without GraphQL errors.
 */
async function probe(scenario: HttpScenario, c: LoadCase & { bodies: string[] }, urls: Map<System, string>): Promise<void> {
  const body = c.bodies[0] as string;
  const parley = await post(urls.get('parley') as string, body);
  for (const [s, url] of urls) {
    if (s === 'parley') continue;
    const other = await post(url, body);
    const answer = parley.json as { errors?: unknown };
    const alike = scenario.exact ? isDeepStrictEqual(other.json, parley.json) : isDeepStrictEqual(shapeOf(other.json), shapeOf(parley.json));
    if (other.status !== 200 || parley.status !== 200 || answer.errors || !alike) {
      const name = SYSTEM_NAMES[s];
      throw new Error(`${scenario.id} ${c.label}: ${name} and Parley disagree\n${name} (${other.status}): ${JSON.stringify(other.json)}\nParley (${parley.status}): ${JSON.stringify(parley.json)}`);
    }
  }
}

/** The structure of a JSON value: keys, array lengths and the type of every leaf. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return value === null ? 'null' : typeof value;
}
