import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileChildren, startChild } from './child.js';
import { describeMachine, gitCommit, packageVersions } from './machine.js';
import { FULL, QUICK } from './profile.js';
import { buildReport, renderTable, type MemoryFigures, type ScenarioOutcome } from './report.js';
import { runFanout } from './run-fanout.js';
import { runHttpScenario } from './run-http.js';
import { runRuns } from './run-runs.js';
import { SCENARIOS } from './scenarios/list.js';
import { countStorageCalls } from './storage-calls.js';

/*
 * `npm run bench [-- --quick] [--out file.json] [--only S1,S3] [--rounds N] [--seconds S]`: runs the scenarios, prints
 * one table on stdout (progress goes to stderr) and writes the figures as JSON. Exits 1 when a
 * scenario fails to run (crash, wrong answer, failed requests), never because a target is missed.
 */
const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const base = options.quick ? QUICK : FULL;
const profile = {
  ...base,
  rounds: options.rounds ? Number(options.rounds) : base.rounds,
  roundSeconds: options.seconds ? Number(options.seconds) : base.roundSeconds,
  runs: { ...base.runs, rounds: options.rounds ? Number(options.rounds) : base.runs.rounds },
};
const out = resolve(options.out ?? `bench/results${options.quick ? '.quick' : ''}.json`);
const only = options.only?.split(',');
const say = (line: string) => process.stderr.write(`${line}\n`);

compileChildren();
const started = new Date();
const machine = describeMachine();
const outcomes: Record<string, ScenarioOutcome> = {};
for (const s of SCENARIOS) {
  if (only && !only.includes(s.id)) continue;
  const t0 = Date.now();
  say(`${s.id} ${s.title}`);
  try {
    if (s.kind === 'process') outcomes[s.id] = { memory: await runProcess(s.script, s.nodeFlags) };
    else if (s.kind === 'fanout') outcomes[s.id] = { fanout: await runFanout(profile, say) };
    else if (s.kind === 'runs') outcomes[s.id] = { runs: await runRuns(profile, say) };
    else outcomes[s.id] = { storageCalls: await countStorageCalls(s, profile), cases: await runHttpScenario(s, profile, say) };
  } catch (error) {
    outcomes[s.id] = { error: error instanceof Error ? error.message : String(error) };
    say(`  FAILED: ${outcomes[s.id]?.error}`);
  }
  say(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const { rows, targets } = buildReport(SCENARIOS.filter((s) => !only || only.includes(s.id)), outcomes, profile.connections);
const table = renderTable(rows);
process.stdout.write(`\nParley beside the like-for-like node:http baseline R and Mercurius+JIT (${profile.name} run, ${machine.cores} x ${machine.cpu}, node ${machine.node})\n\n${table}\n`);

mkdirSync(dirname(out), { recursive: true });
const results = {
  date: started.toISOString(),
  durationSeconds: (Date.now() - started.getTime()) / 1000,
  ...gitCommit(),
  profile,
  machine,
  versions: packageVersions(),
  targets,
  scenarios: outcomes,
  table,
};
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
say(`\nwritten: ${out}`);
const failed = Object.entries(outcomes).filter(([, o]) => o.error !== undefined);
// A lost delivery or a failed append is a wrong answer, not a slow one.
const lossy = (outcomes['S4']?.fanout ?? []).flatMap(({ subscribers, sessions, baseline, parley }) =>
  [['R', baseline] as const, ['Parley', parley] as const]
    .filter(([, f]) => f.lost > 0 || f.failedAppends > 0)
    .map(([who, f]) => `S4 ${who} with ${subscribers} subscribers on ${sessions} session(s): ${f.lost} deliveries lost, ${f.failedAppends} appends failed`),
);
const runs = outcomes['S6']?.runs;
if (runs) {
  for (const [who, f] of [['R', runs.r], ['Parley', runs.p]] as const) {
    if (f.lost > 0 || f.duplicates > 0 || f.wrong > 0) lossy.push(`S6 ${who}: ${f.lost} deltas lost, ${f.duplicates} duplicated, ${f.wrong} streams ended wrong`);
  }
}
for (const line of lossy) say(`FAILED: ${line}`);
process.exitCode = failed.length > 0 || lossy.length > 0 ? 1 : 0;

async function runProcess(script: string, nodeFlags: string[]): Promise<MemoryFigures> {
  const child = startChild<MemoryFigures>(script, [profile.name], nodeFlags);
  try {
    return await child.message;
  } finally {
    await child.stop();
  }
}
