import { isDeepStrictEqual } from 'node:util';
import { cpuProfileFlags, startChild, type Child } from './child.js';
import { load, post, requestBody, type LoadResult } from './load.js';
import type { Profile } from './profile.js';
import type { HttpScenario, LoadCase } from './scenario.js';

export interface CaseFigures {
  label: string;
  /** One entry per round: R and Parley measured back to back. */
  rounds: { r: LoadResult; p: LoadResult }[];
  /** Medians over the rounds. */
  rRps: number;
  pRps: number;
  /** Median of the per-round ratios Parley / R. */
  ratio: number;
  pP99: number;
  rP99: number;
  /** Server CPU time per answered request, in microseconds: less sensitive to other load than req/s. */
  rCpuMicros: number;
  pCpuMicros: number;
}

const SERVERS = ['baseline', 'parley'] as const;
type Kind = (typeof SERVERS)[number];

const pct = (share: number) => `${Math.round(share * 100)}%`;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * Runs one HTTP scenario: starts R and Parley in their own processes (same seed), checks that
 * both give the same answer, warms both up, then measures them alternately, round after round,
 * so that the machine's background noise falls on both alike.
 */
export async function runHttpScenario(scenario: HttpScenario, profile: Profile, say: (line: string) => void): Promise<CaseFigures[]> {
  const servers = Object.fromEntries(
    SERVERS.map((kind) => [kind, startChild<{ url: string }>('serve.ts', [kind, scenario.id, profile.name], serverFlags(kind))]),
  ) as Record<Kind, Child<{ url: string }>>;
  try {
    const urls = { baseline: (await servers.baseline.message).url, parley: (await servers.parley.message).url };
    const cases = scenario.cases(profile).map((c) => ({ ...c, bodies: c.variables.map((v) => requestBody(scenario.query, v)) }));
    for (const c of cases) await probe(scenario, c, urls);
    const run = async (kind: Kind, c: (typeof cases)[number], seconds: number) => {
      const result = await load(urls[kind], c.bodies, seconds, profile.connections, () => servers[kind].ask('cpu'));
      const failure = servers[kind].failure();
      if (failure) throw new Error(failure);
      if (result.failures > 0) throw new Error(`${scenario.id} ${c.label}: ${result.failures} failed requests on ${kind}`);
      return result;
    };
    for (const c of cases) for (const kind of SERVERS) await run(kind, c, profile.warmupSeconds);
    const rounds = cases.map(() => [] as { r: LoadResult; p: LoadResult }[]);
    for (let round = 0; round < profile.rounds; round++) {
      for (const [i, c] of cases.entries()) {
        const order: Kind[] = round % 2 === 0 ? ['baseline', 'parley'] : ['parley', 'baseline'];
        const got: Partial<Record<Kind, LoadResult>> = {};
        for (const kind of order) got[kind] = await run(kind, c, profile.roundSeconds);
        const { baseline: r, parley: p } = got as Record<Kind, LoadResult>;
        rounds[i]?.push({ r, p });
        const cpu = (x: LoadResult) => `cpu ${pct(x.serverCpu)}, load ${pct(x.loadCpu)}`;
        say(`  ${scenario.id} ${c.label} round ${round + 1}: R ${r.rps.toFixed(0)}/s (${cpu(r)}), Parley ${p.rps.toFixed(0)}/s (${cpu(p)}), ${(p.rps / r.rps).toFixed(2)}`);
      }
    }
    return cases.map((c, i) => summarize(c.label, rounds[i] ?? []));
  } finally {
    await Promise.all(SERVERS.map((kind) => servers[kind].stop()));
  }
}

/** BENCH_CPU_PROF=<dir> profiles the Parley server process (node --cpu-prof) for the whole scenario. */
function serverFlags(kind: Kind): string[] {
  return kind === 'parley' ? cpuProfileFlags() : [];
}

function summarize(label: string, rounds: { r: LoadResult; p: LoadResult }[]): CaseFigures {
  return {
    label,
    rounds,
    rRps: median(rounds.map(({ r }) => r.rps)),
    pRps: median(rounds.map(({ p }) => p.rps)),
    ratio: median(rounds.map(({ r, p }) => p.rps / r.rps)),
    rP99: median(rounds.map(({ r }) => r.p99)),
    pP99: median(rounds.map(({ p }) => p.p99)),
    rCpuMicros: median(rounds.map(({ r }) => (r.serverCpu * 1e6) / r.rps)),
    pCpuMicros: median(rounds.map(({ p }) => (p.serverCpu * 1e6) / p.rps)),
  };
}

/** Both servers must answer the case's first request alike, and Parley without GraphQL errors. */
async function probe(scenario: HttpScenario, c: LoadCase & { bodies: string[] }, urls: Record<Kind, string>): Promise<void> {
  const body = c.bodies[0] as string;
  const [r, p] = [await post(urls.baseline, body), await post(urls.parley, body)];
  const answer = p.json as { errors?: unknown };
  const alike = scenario.exact ? isDeepStrictEqual(r.json, p.json) : isDeepStrictEqual(shapeOf(r.json), shapeOf(p.json));
  if (r.status !== 200 || p.status !== 200 || answer.errors || !alike) {
    throw new Error(`${scenario.id} ${c.label}: R and Parley disagree\nR (${r.status}): ${JSON.stringify(r.json)}\nParley (${p.status}): ${JSON.stringify(p.json)}`);
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
