import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `parley` executable, as package.json's bin names it. */
export const BIN = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));

export interface CliOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The chunks stdout arrived in, with when they arrived (ms since start). */
  chunks: { at: number; text: string }[];
}

/** A fresh config directory, so that tests do not share (or touch the user's) active session. */
export const configHome = () => mkdtempSync(join(tmpdir(), 'parley-cli-'));

/**
 * Runs `parley <args>` as a user does (node on the bin, in a process of its own), with `input` on
 * stdin, until it exits (killed after `timeoutMs`, exitCode then null).
 */
export function parley(
  args: string[],
  { url, env = {}, input = '', cwd, timeoutMs = 30_000 }: { url?: string; env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, PARLEY_API_KEY: '', ...(url && { PARLEY_URL: url }), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const outcome: CliOutcome = { exitCode: null, stdout: '', stderr: '', chunks: [] };
    child.stdout.on('data', (d: Buffer) => {
      outcome.stdout += d;
      outcome.chunks.push({ at: Date.now() - started, text: d.toString() });
    });
    child.stderr.on('data', (d: Buffer) => (outcome.stderr += d));
    child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ ...outcome, exitCode });
    });
  });
}

/** Whether tmux is here for the pseudo-terminal tests; where it is not, they skip and say why, on one line. */
export function tmuxPresent(suite: string): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    console.warn(`${suite}: SKIPPED, tmux is not installed (apt-get install -y tmux)`);
    return false;
  }
}
