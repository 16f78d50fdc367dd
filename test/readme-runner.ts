import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * What test/readme.test.ts needs to run the README's code blocks as a user would: the blocks, a
 * process runner for the TypeScript/JavaScript and shell ones, and checks of the commands that a
 * test cannot run (npm install, npm start…).
 */

export const root = fileURLToPath(new URL('..', import.meta.url));
export const readme = readFileSync(`${root}README.md`, 'utf8');
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

export interface Block {
  lang: string;
  code: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
}

/** Every fenced block of the README with a language (blocks without one are output and layouts, not code). */
export function blocks(): Block[] {
  return [...readme.matchAll(/^ *```(\w+)\n([\s\S]*?)^ *```$/gm)].map((m) => ({
    lang: m[1] as string,
    code: m[2] as string,
    line: readme.slice(0, m.index).split('\n').length,
  }));
}

/** The commands of a shell block: continuations joined, comments and blank lines dropped. */
export function commands(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/**
 * The README names the default address, http://localhost:4000; the tests serve on a free port, so
 * that address (and its ws:// twin) is the only text of a snippet that is replaced.
 */
export function atUrl(code: string, httpOrigin: string): string {
  return code.replaceAll('http://localhost:4000', httpOrigin).replaceAll('ws://localhost:4000', httpOrigin.replace(/^http/, 'ws'));
}

/**
 * What a command a test does not run is checked for, or null when the runner knows no check for it
 * (the test then fails: teach the runner, do not let a command go unchecked).
 */
export function staticCheck(command: string): { what: string; ok: boolean } | null {
  const words = command.replace(/^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+/, '').split(/\s+/);
  const [tool, verb, ...rest] = words;
  if (tool === 'npm' && (verb === 'install' || verb === 'i' || verb === 'ci')) {
    const packages = rest.filter((w) => !w.startsWith('-'));
    if (packages.length === 0) {
      const lock = verb === 'ci' ? existsSync(`${root}package-lock.json`) : true;
      return { what: verb === 'ci' ? 'package.json and package-lock.json exist' : 'package.json exists', ok: lock && existsSync(`${root}package.json`) };
    }
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    return { what: `Parley's package.json depends on ${packages.join(', ')}`, ok: packages.every((p) => p.replace(/(.)@.*$/, '$1') in all) };
  }
  if (tool === 'npm' && (verb === 'start' || verb === 'test' || verb === 'run')) {
    const script = verb === 'run' ? rest[0] : verb;
    return { what: `package.json has the script "${script}"`, ok: script !== undefined && script in pkg.scripts };
  }
  if (tool === 'npx' && verb) return { what: `node_modules/.bin/${verb} is installed`, ok: existsSync(`${root}node_modules/.bin/${verb}`) };
  return null;
}

export interface Outcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program until it exits. One still running 1.5 s after its first output (a live
 * subscription: SSE keep-alive comments never let it fall silent) gets `whenQuiet` called once,
 * which should end what it waits for; it must then exit by itself. Killed (and reported with
 * exitCode null) after `timeoutMs`.
 */
export function runProgram(
  argv: string[],
  { env = {}, whenQuiet, timeoutMs = 30_000 }: { env?: Record<string, string>; whenQuiet?: () => Promise<void>; timeoutMs?: number },
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let firstOutput = 0;
    let nudged = false;
    child.stdout.on('data', (d: Buffer) => ((stdout += d), (firstOutput ||= Date.now())));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const quiet = setInterval(() => {
      if (nudged || !firstOutput || Date.now() - firstOutput < 1500) return;
      nudged = true;
      whenQuiet?.().catch((error: unknown) => (stderr += `whenQuiet failed: ${String(error)}\n`));
    }, 200);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (exitCode) => {
      clearInterval(quiet);
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Type-checks TypeScript snippets as files at the project root, with the project's strict options. */
export async function typeCheck(codes: string[]): Promise<Outcome> {
  const files = codes.map((code, i) => {
    const file = `${root}.readme-snippet-${process.pid}-tsc${i}.ts`;
    writeFileSync(file, code);
    return file;
  });
  const options = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
  const more = ['--target', 'ES2022', '--lib', 'ES2023,ES2024.String', '--types', 'node', '--resolveJsonModule', '--skipLibCheck'];
  try {
    return await runProgram([process.execPath, `${root}node_modules/typescript/bin/tsc`, ...options, ...more, ...files], {});
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

/**
 * Runs a TypeScript or JavaScript snippet as a file at the project root (where a user of the repo
 * would put it: its relative imports and packages resolve as in the README), with tsx.
 */
export async function runSnippet(code: string, lang: string, options: Parameters<typeof runProgram>[1]): Promise<Outcome> {
  const file = `${root}.readme-snippet-${process.pid}-${Math.random().toString(36).slice(2)}.${lang === 'ts' ? 'ts' : 'mjs'}`;
  writeFileSync(file, code);
  try {
    return await runProgram([process.execPath, '--import', 'tsx', file], options);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Whether a shell command runs the `parley` command (`npx parley …`, maybe after a pipe or variables). */
export const isParley = (command: string) => /(?:^|\|\s*)(?:[A-Z_][A-Z0-9_]*=\S*\s+)*npx parley\b/.test(command);

/** The executable `npx parley` runs in a clone: the one package.json's bin names. */
export const parleyBin = () => `${root}${pkg.bin.parley}`;

/**
 * Runs a `npx parley …` command of the README with bash in `cwd` (a scratch directory, so that the
 * files it writes do not land in the repository), `npx parley` standing for the executable that
 * package.json's bin names (npx resolves it so only inside the project: see the test that runs
 * `npx parley --help` there). `env` carries PARLEY_URL, the server the test started.
 */
export function runParley(command: string, { cwd, env }: { cwd: string; env: Record<string, string> }): Promise<Outcome> {
  const line = command.replaceAll('npx parley', `"${process.execPath}" "${parleyBin()}"`);
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd, env: { ...process.env, PARLEY_API_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    collect(child, 30_000).then(resolve);
  });
}

/**
 * Runs `… npx parley serve` (its variables given, PORT=0 added) until the server says it listens,
 * then sends SIGINT as Ctrl-C does; resolves with how it exited.
 */
export function runParleyServe(command: string): Promise<Outcome & { listened: boolean }> {
  const words = command.split(/\s+/);
  const env = Object.fromEntries(words.filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  const args = words.slice(words.indexOf('parley') + 1);
  const child = spawn(process.execPath, [parleyBin(), ...args], { cwd: root, env: { ...process.env, ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let listened = false;
  const watch = (d: Buffer) => {
    if (!listened && d.toString().includes('is listening on')) {
      listened = true;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', watch);
  child.stderr.on('data', watch);
  return collect(child, 30_000).then((outcome) => ({ ...outcome, listened }));
}

function collect(child: ChildProcess, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d));
    child.stderr?.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** The command `npm start` runs once it has built: package.json's start script, without its `exec`. */
export const productionCommand = () => (pkg.scripts.start as string).replace(/^exec\s+/, '');

/** Whether a shell command is the production start (`… node dist/…`), run by its own test. */
export const isProductionStart = (command: string) => /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*node dist\//.test(command);

/** The values of one key of a systemd unit (Environment=, ExecStart=…), in order. */
export function unitValues(unit: string, key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => (m[1] as string).trim());
}

/** Whether systemd-analyze is installed here (Debian: the systemd package). */
export const hasSystemdAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

/** `systemd-analyze verify` on a unit written as parley.service in a scratch directory. */
export async function verifyUnit(unit: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-unit-'));
  try {
    writeFileSync(join(dir, 'parley.service'), unit);
    return await runProgram(['systemd-analyze', 'verify', join(dir, 'parley.service')], {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
