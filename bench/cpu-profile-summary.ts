import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * `tsx bench/cpu-profile-summary.ts <file.cpuprofile | directory> [top]`: the functions with the
 * most self time, and the packages (or source folders) they belong to. Profiles come from
 * `BENCH_CPU_PROF=<dir> npm run bench -- --only S2`, which runs the Parley server with --cpu-prof.
 * Given a directory, reads its largest profile (the main thread; tsx adds a small loader thread).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target = '.', topArg = '25'] = process.argv.slice(2);
const file = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]
  : target;
if (!file) throw new Error(`no .cpuprofile in ${target}`);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const functions = new Map<string, number>();
const groups = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0 };
  const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  functions.set(key, (functions.get(key) ?? 0) + micros);
  const group = groupOf(url, functionName);
  groups.set(group, (groups.get(group) ?? 0) + micros);
}

const pct = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n\nself time by package or folder`);
for (const [name, micros] of top(groups, 15)) console.log(`${pct(micros)}  ${name}`);
console.log('\nself time by function');
for (const [name, micros] of top(functions, Number(topArg))) console.log(`${pct(micros)}  ${name}`);

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const i = path.lastIndexOf('node_modules/');
  return i >= 0 ? path.slice(i + 'node_modules/'.length) : relative(process.cwd(), path);
}

function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  if (url.startsWith('node:')) return 'node: core';
  const path = shorten(url);
  const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(path)?.[1] ?? path;
  return url.includes('node_modules/') ? pkg : path.split('/').slice(0, 2).join('/');
}
