import type { FanoutCase } from './run-fanout.js';
import type { RunsOutcome } from './run-runs.js';
import { median, type CaseFigures } from './run-http.js';
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
  stretchMet?: boolean;
}

interface Row {
  scenario: string;
  figure: string;
  r: string;
  parley: string;
  ratio: string;
  p99: string;
  cpu: string;
  target: string;
  result: string;
}

const MIN_RATIO = 0.6;
const STRETCH_RATIO = 0.85;
const MAX_SLOWDOWN = 1.2;
const MAX_STORAGE_CALLS = 3;
const MAX_OVERHEAD_BYTES = 500;
const MAX_FANOUT_P99_MS = 50;
const FANOUT_TARGET_SUBSCRIBERS = 1000;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (t: Target) => (t.met === null ? 'no figure' : !t.met ? 'not met' : t.stretchMet ? 'met (stretch too)' : t.stretchMet === false ? 'met (stretch not)' : 'met');

/** The table's rows and the targets, scenario by scenario in suite order. */
export function buildReport(scenarios: Scenario[], outcomes: Record<string, ScenarioOutcome>, connections: number) {
  const rows: Row[] = [];
  const targets: Target[] = [];
  const row = (r: Partial<Row> & Pick<Row, 'scenario' | 'figure'>, target?: Target) => {
    if (target) targets.push(target);
    rows.push({ r: '', parley: '', ratio: '', p99: '', cpu: '', target: target?.goal ?? '', result: target ? verdict(target) : '', ...r });
  };
  for (const s of scenarios) {
    const o = outcomes[s.id] ?? {};
    const name = `${s.id} ${s.title}`;
    if (o.error !== undefined) {
      row({ scenario: name, figure: `FAILED: ${o.error.split('\n')[0]?.slice(0, 100)}` });
      continue;
    }
    for (const c of o.cases ?? []) {
      const t: Target | undefined =
        s.id === 'S1' || s.id === 'S2'
          ? { scenario: s.id, figure: `throughput / R, ${c.label}`, value: c.ratio, goal: `>= ${MIN_RATIO} (stretch ${STRETCH_RATIO})`, met: c.ratio >= MIN_RATIO, stretchMet: c.ratio >= STRETCH_RATIO }
          : undefined;
      row(
        {
          scenario: name,
          figure: `req/s, ${c.label}, ${connections} connections`,
          r: int(c.rRps),
          parley: int(c.pRps),
          ratio: c.ratio.toFixed(2),
          p99: `${c.rP99} / ${c.pP99}`,
          cpu: `${int(c.rCpuMicros)} / ${int(c.pCpuMicros)}`,
        },
        t,
      );
    }
    const [short, long] = o.cases ?? [];
    if (s.id === 'S2' && short && long) {
      const slowdown = median(short.rounds.map((round, i) => round.p.rps / (long.rounds[i]?.p.rps ?? NaN)));
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
    for (const { subscribers, baseline: b, parley: f } of o.fanout ?? []) {
      const targeted = subscribers === FANOUT_TARGET_SUBSCRIBERS;
      const figures = (x: typeof f) => `${x.p50} / ${x.p99} / ${x.max}; ${int(x.lost)}`;
      row(
        {
          scenario: name,
          figure: `${int(subscribers)} subscribers, ${int(f.messages)} messages: publish-to-receive p50 / p99 / max ms; lost`,
          r: figures(b),
          parley: figures(f),
          ratio: `p99 ${(f.p99 / Math.max(1, b.p99)).toFixed(2)}`,
          cpu: `${b.serverCpuMsPerMessage.toFixed(1)} / ${f.serverCpuMsPerMessage.toFixed(1)} ms/msg`,
        },
        targeted
          ? {
              scenario: s.id,
              figure: `p99 publish-to-receive ms with ${subscribers} subscribers, nothing lost`,
              value: f.p99,
              goal: `p99 <= ${MAX_FANOUT_P99_MS} ms, 0 lost`,
              met: f.p99 <= MAX_FANOUT_P99_MS && f.lost === 0 && f.failedAppends === 0,
            }
          : undefined,
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
        ratio: `p99 ${(p.p99 / Math.max(0.1, r.p99)).toFixed(2)}`,
      });
      row(
        {
          scenario: name,
          figure: `CPU µs per delta from the model (Parley's includes its ${subscribers} deliveries)`,
          r: r.cpuMicrosPerDelta.toFixed(1),
          parley: p.cpuMicrosPerDelta.toFixed(1),
          ratio: cpuRatio.toFixed(2),
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

const HEADINGS: Row = { scenario: 'Scenario', figure: 'Figure', r: 'R', parley: 'Parley', ratio: 'Parley/R', p99: 'p99 ms R / Parley', cpu: 'CPU µs/req R / Parley', target: 'Target', result: 'Result' };
const COLUMNS = Object.keys(HEADINGS) as (keyof Row)[];
const NUMERIC = new Set<keyof Row>(['r', 'parley', 'ratio', 'p99', 'cpu']);

/** A Markdown table, aligned so that it also reads well in a terminal. */
export function renderTable(rows: Row[]): string {
  const all = [HEADINGS, ...rows];
  const width = (c: keyof Row) => Math.max(3, ...all.map((r) => r[c].length));
  const cell = (r: Row, c: keyof Row) => (NUMERIC.has(c) ? r[c].padStart(width(c)) : r[c].padEnd(width(c)));
  const line = (r: Row) => `| ${COLUMNS.map((c) => cell(r, c)).join(' | ')} |`;
  const rule = `|${COLUMNS.map((c) => (NUMERIC.has(c) ? `${'-'.repeat(width(c) + 1)}:` : '-'.repeat(width(c) + 2))).join('|')}|`;
  return [line(HEADINGS), rule, ...rows.map(line)].join('\n');
}
