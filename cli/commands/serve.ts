import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { examples } from '../options.js';

// The server's entry point, the one `npm start` runs once compiled: started as a program of its
// own (through tsx, so no build is needed), never imported, so the CLI stays a client of the API.
const MAIN = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .summary('run a Parley server')
    .description('Run a Parley server (src/server/main.ts, as `npm start` does), configured by the environment as in the README.')
    .addHelpText('after', examples('parley serve', 'MODEL_PROVIDER=echo PORT=4001 parley serve'))
    .action(async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { stdio: 'inherit' });
      // The terminal's Ctrl-C reaches the child too (same process group); a kill of this process is passed on.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
    });
}
