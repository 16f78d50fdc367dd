import { execFileSync, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STARTUP_TIMEOUT_MS = 120_000;

export interface Child<M> {
  /** The first message the child sends over IPC. */
  message: Promise<M>;
  /** Why the child stopped on its own (crash or early exit); undefined while it runs or after stop(). */
  failure(): string | undefined;
  /** Sends a message and resolves with the child's next message. */
  ask<A>(message: string | object): Promise<A>;
  stop(): Promise<void>;
}

/** Where compileChildren puts the JavaScript that tsc makes of src/, adapters/, providers/ and bench/. */
const BUILD = new URL('../node_modules/.cache/parley-bench/', import.meta.url);
let compiled = false;

/**
 * Compiles the project and the bench with tsc (tsconfig.bench.json), as `npm run build` does for
 * production, so that every child runs plain JavaScript on node, as `npm start` does. Run through
 * tsx, each function expression is named with a defineProperty call when it is created (esbuild's
 * keepNames), which production never pays and which cost up to 38 µs per request in code that
 * makes closures per request.
 */
export function compileChildren(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.bench.json', import.meta.url))], { stdio: 'inherit' });
  compiled = true;
}

/**
 * Runs a bench/ script in its own node process with an IPC channel: its compiled JavaScript on
 * plain node once compileChildren has run, else the TypeScript through tsx. The child is killed
 * when stopped and also exits by itself when this process goes away (it watches 'disconnect').
 */
export function startChild<M>(script: string, args: string[], nodeFlags: string[] = []): Child<M> {
  const file = compiled ? new URL(`bench/${script.replace(/\.ts$/, '.js')}`, BUILD) : new URL(script, import.meta.url);
  const child = fork(fileURLToPath(file), args, {
    execArgv: compiled ? nodeFlags : [...nodeFlags, '--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let failure: string | undefined;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) failure = `${script} ${args.join(' ')} exited early (code ${code}, signal ${signal})`;
      resolve();
    });
  });
  const message = new Promise<M>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} sent nothing within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as M);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(failure ?? `${script} stopped`));
    });
  });
  message.catch(() => {});
  return {
    message,
    failure: () => failure,
    ask: (question) =>
      new Promise((resolve) => {
        child.once('message', (answer) => resolve(answer as never));
        child.send(question);
      }),
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * In a server child: exit as soon as the parent goes away, and answer its 'cpu' question with the
 * CPU time used so far (the parent tells from it whether the server was the bottleneck).
 */
export function followParent(): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (question) => {
    if (question === 'cpu') process.send?.(process.cpuUsage());
  });
}

/** With BENCH_CPU_PROF=<dir>: node flags that profile a child (--cpu-prof) into <dir>/<subdir>. */
export function cpuProfileFlags(subdir = ''): string[] {
  const dir = process.env['BENCH_CPU_PROF'];
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, subdir)}`] : [];
}
