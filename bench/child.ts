import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const STARTUP_TIMEOUT_MS = 120_000;

export interface Child<M> {
  /** The first message the child sends over IPC. */
  message: Promise<M>;
  process: ChildProcess;
  /** Why the child stopped on its own (crash or early exit); undefined while it runs or after stop(). */
  failure(): string | undefined;
  /** Sends a message and resolves with the child's next message. */
  ask<A>(message: string): Promise<A>;
  stop(): Promise<void>;
}

/**
 * Runs a bench/ script in its own node process, through tsx, with an IPC channel. The child is
 * killed when stopped and also exits by itself when this process goes away (it watches 'disconnect').
 */
export function startChild<M>(script: string, args: string[], nodeFlags: string[] = []): Child<M> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    execArgv: [...nodeFlags, '--import', 'tsx'],
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
    process: child,
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
