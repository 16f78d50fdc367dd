import type { FanoutCase } from './run-fanout.js';
import type { RunsOutcome } from './run-runs.js';
import { median, type CaseFigures, type SystemFigures } from './run-http.js';
import type { Scenario } from './scenario.js';
import { totalCalls, type StorageCalls } from './storage-calls.js';

export interface MemoryFigures {
  messages: number;
  contentLength: number;
  contentLayoutBytes: number;
  contentMeasuredBytes: number;
  heapPerMessageBytes: number;
  overheadBytes: number;
}

export interface ScenarioOutcome {
  cases?: CaseFigures[];
  storageCalls?: StorageCalls[];
  memory?: MemoryFigures;
  fanout?: FanoutCase[];
  runs?: RunsOutcome;
  error?: string;
}

export interface Target {
  scenario: string;
  figure: string;
  value: number | null;
  goal: string;
  met: boolean | null;
}

interface Row {
  scenario: string;
  figure: string;
  r: string;
  mercurius: string;
  parley: string;
  vsR: string;
  vsM: string;
  p99: string;
  cpu: string;
  target: string;
  result: string;
}

/** The targets of issue 13 (performance) and 14 (what metrics may cost). */
const THROUGHPUT: Record<string, { mercurius: number; r?: number }> = { S1: { mercurius: 1.1, r: 0.6 }, S2: { mercurius: 1.2, r: 0.8 }, S3: { mercurius: 1.1 } };
const MIN_METRICS_ON_OFF = 0.95;
const MAX_SLOWDOWN = 1.2;
const MAX_STORAGE_CALLS = 3;
const MAX_OVERHEAD_BYTES = 200;
/** S4: p99 publish-to-receive in ms, by subscriber count on one session; 0 lost in every case. */
const FANOUT_P99_MS: Record<number, number> = { 1000: 30, 10000: 150 };

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (t: Target) => (t.met === null ? 'no figure' : t.met ? 'met' : 'not met');

/** The table's rows and the targets, scenario by scenario in suite order. */
export function buildReport(scenarios: Scenario[], outcomes: Record<string, ScenarioOutcome>, connections: number) {
  const rows: Row[] = [];
  const targets: Target[] = [];
  const row = (r: Partial<Row> & Pick<Row, 'scenario' | 'figure'>, ...goals: Target[]) => {
    targets.push(...goals);
    const empty = { r: '', mercurius: '', parley: '', vsR: '', vsM: '', p99: '', cpu: '' };
    rows.push({ ...empty, target: goals.map((t) => t.goal).join('; '), result: goals.map(verdict).join('; '), ...r });
  };
  for (const s of scenarios) {
    const o = outcomes[s.id] ?? {};
    const name = `${s.id} ${s.title}`;
    if (o.error !== undefined) {
      row({ scenario: name, figure: `FAILED: ${o.error.split('\n')[0]?.slice(0, 100)}` });
      continue;
    }
    for (const c of o.cases ?? []) {
      const goal = THROUGHPUT[s.id];
      const { parleyToR: vsR, parleyToMercurius: vsM } = c.ratios;
      const goals: Target[] = [];
      if (goal) goals.push({ scenario: s.id, figure: `throughput Parley / Mercurius+JIT, ${c.label}`, value: vsM, goal: `P/M >= ${goal.mercurius.toFixed(2)}`, met: vsM >= goal.mercurius });
      if (goal?.r !== undefined) goals.push({ scenario: s.id, figure: `throughput Parley / R, ${c.label}`, value: vsR, goal: `P/R >= ${goal.r.toFixed(2)}`, met: vsR >= goal.r });
      const { r, mercurius: m, parley: p } = c.systems;
      const three = (f: (x: SystemFigures) => number) => [r, m, p].map((x) => (x ? int(f(x)) : '')).join(' / ');
      row(
        {
          scenario: name,
          figure: `req/s, ${c.label}, ${connections} connections`,
          r: r ? int(r.rps) : '',
          mercurius: m ? int(m.rps) : '',
          parley: p ? int(p.rps) : '',
          vsR: vsR.toFixed(2),
          vsM: vsM.toFixed(2),
          p99: three((x) => x.p99),
          cpu: three((x) => x.cpuMicros),
        },
        ...goals,
      );
      const bare = c.systems['r-bare'];
      if (bare && c.ratios.parleyToRBare !== undefined) {
        row({
          scenario: name,
          figure: `req/s, ${c.label}: R bare (the R of earlier runs: no storage timeouts, event bus or scoping)`,
          r: int(bare.rps),
          vsR: c.ratios.parleyToRBare.toFixed(2),
          cpu: int(bare.cpuMicros),
        });
      }
      const yoga = c.systems['parley-yoga'];
      if (yoga && p && c.ratios.leanToYoga !== undefined) {
        row({
          scenario: name,
          figure: `req/s, ${c.label}, Parley with LEAN_HTTP=false, yoga's own path (CPU: lean / yoga's path)`,
          parley: `${int(yoga.rps)} (lean: ${c.ratios.leanToYoga.toFixed(2)} x)`,
          cpu: `${int(p.cpuMicros)} / ${int(yoga.cpuMicros)}`,
        });
      }
      const metrics = c.systems['parley-metrics'];
      if (metrics && p && c.ratios.metricsOnToOff !== undefined) {
        const onOff = c.ratios.metricsOnToOff;
        row(
          {
            scenario: name,
            figure: `req/s, ${c.label}, Parley with METRICS=true (CPU: on / off)`,
            parley: `${int(metrics.rps)} (${onOff.toFixed(2)} x off)`,
            cpu: `${int(metrics.cpuMicros)} / ${int(p.cpuMicros)}`,
          },
          { scenario: s.id, figure: 'throughput with metrics on / off', value: onOff, goal: `on/off >= ${MIN_METRICS_ON_OFF}`, met: onOff >= MIN_METRICS_ON_OFF },
        );
      }
    }
    const [short, long] = o.cases ?? [];
    if (s.id === 'S2' && short && long) {
      const slowdown = median(short.rounds.map((round, i) => (round.parley?.rps ?? NaN) / (long.rounds[i]?.parley?.rps ?? NaN)));
      row(
        { scenario: name, figure: `time per request, ${long.label} vs ${short.label}`, parley: `${slowdown.toFixed(2)} x` },
        { scenario: s.id, figure: 'Parley time per request on the long session / on the short one', value: slowdown, goal: `<= ${MAX_SLOWDOWN} x`, met: slowdown <= MAX_SLOWDOWN },
      );
    }
    for (const calls of s.id === 'S3' ? (o.storageCalls ?? []) : []) {
      const n = totalCalls(calls.parley);
      row(
        { scenario: name, figure: `storage calls per request (${Object.keys(calls.parley).join(', ')})`, r: String(totalCalls(calls.baseline)), parley: String(n) },
        { scenario: s.id, figure: 'storage calls per request', value: n, goal: `<= ${MAX_STORAGE_CALLS}`, met: n <= MAX_STORAGE_CALLS },
      );
    }
    for (const { subscribers, sessions, baseline: b, parley: f } of o.fanout ?? []) {
      const p99Goal = sessions === 1 ? FANOUT_P99_MS[subscribers] : undefined;
      const figures = (x: typeof f) => `${x.p50} / ${x.p99} / ${x.max}; ${int(x.lost)}`;
      const lost = f.lost + f.failedAppends;
      const who = sessions === 1 ? `${int(subscribers)} subscribers` : `${int(sessions)} sessions x ${int(subscribers / sessions)} subscribers`;
      row(
        {
          scenario: name,
          figure: `${who}, ${int(f.messages)} messages: publish-to-receive p50 / p99 / max ms; lost`,
          r: figures(b),
          parley: figures(f),
          vsR: `p99 ${(f.p99 / Math.max(1, b.p99)).toFixed(2)}`,
          cpu: `${b.serverCpuMsPerMessage.toFixed(1)} / ${f.serverCpuMsPerMessage.toFixed(1)} ms/msg`,
        },
        p99Goal === undefined
          ? { scenario: s.id, figure: `deliveries lost, ${who}`, value: lost, goal: '0 lost', met: lost === 0 }
          : { scenario: s.id, figure: `p99 publish-to-receive ms with ${who}, nothing lost`, value: f.p99, goal: `p99 <= ${p99Goal} ms, 0 lost`, met: f.p99 <= p99Goal && lost === 0 },
      );
    }
    if (o.runs) {
      const { r, p, runs, subscribers, tokens, tokensPerSecond, cpuRatio } = o.runs;
      const ms = (n: number) => n.toFixed(1);
      const figures = (x: typeof p) => `${ms(x.p50)} / ${ms(x.p99)} / ${ms(x.max)}; ${int(x.lost)}`;
      row({
        scenario: name,
        figure: `${int(runs)} runs x ${subscribers} subscribers, ${tokens} tokens at ${tokensPerSecond}/s: provider-send to receive p50 / p99 / max ms; lost`,
        r: figures(r),
        parley: figures(p),
        vsR: `p99 ${(p.p99 / Math.max(0.1, r.p99)).toFixed(2)}`,
      });
      row(
        {
          scenario: name,
          figure: `CPU µs per delta from the model (Parley's includes its ${subscribers} deliveries)`,
          r: r.cpuMicrosPerDelta.toFixed(1),
          parley: p.cpuMicrosPerDelta.toFixed(1),
          vsR: cpuRatio.toFixed(2),
        },
        {
          scenario: s.id,
          figure: 'deltas lost or duplicated; subscriptions ending wrong (gap, no END, text unequal to the stored message)',
          value: p.lost + p.duplicates + p.wrong,
          goal: '0 lost, 0 duplicated',
          met: p.lost + p.duplicates + p.wrong === 0,
        },
      );
    }
    if (o.memory) {
      const m = o.memory;
      row(
        { scenario: name, figure: `heap bytes per message beyond its content (${m.contentLayoutBytes} B), ${int(m.messages)} messages`, parley: int(m.overheadBytes) },
        { scenario: s.id, figure: 'heap bytes per stored message beyond the content', value: m.overheadBytes, goal: `<= ${MAX_OVERHEAD_BYTES}`, met: m.overheadBytes <= MAX_OVERHEAD_BYTES },
      );
    }
  }
  return { rows, targets };
}

const HEADINGS: Row = {
  scenario: 'Scenario',
  figure: 'Figure',
  r: 'R',
  mercurius: 'Mercurius+JIT',
  parley: 'Parley',
  vsR: 'Parley/R',
  vsM: 'Parley/Mercurius',
  p99: 'p99 ms R / M / P',
  cpu: 'CPU µs/req R / M / P',
  target: 'Target',
  result: 'Result',
};
const COLUMNS = Object.keys(HEADINGS) as (keyof Row)[];
const NUMERIC = new Set<keyof Row>(['r', 'mercurius', 'parley', 'vsR', 'vsM', 'p99', 'cpu']);

/** A Markdown table, aligned so that it also reads well in a terminal. */
export function renderTable(rows: Row[]): string {
  const all = [HEADINGS, ...rows];
  const width = (c: keyof Row) => Math.max(3, ...all.map((r) => r[c].length));
  const cell = (r: Row, c: keyof Row) => (NUMERIC.has(c) ? r[c].padStart(width(c)) : r[c].padEnd(width(c)));
  const line = (r: Row) => `| ${COLUMNS.map((c) => cell(r, c)).join(' | ')} |`;
  const rule = `|${COLUMNS.map((c) => (NUMERIC.has(c) ? `${'-'.repeat(width(c) + 1)}:` : '-'.repeat(width(c) + 2))).join('|')}|`;
  return [line(HEADINGS), rule, ...rows.map(line)].join('\n');
}
