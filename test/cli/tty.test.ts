import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startApp } from '../live/helpers.js';
import { BIN, configHome, tmuxPresent } from './run.js';

describe.runIf(tmuxPresent('parley import on a terminal (a tmux pseudo-terminal)'))('parley import on a terminal (a tmux pseudo-terminal)', () => {
  const socket = `parley-tty-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  afterEach(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('draws a progress bar instead of a line per document, then the summary', async () => {
    const server = await startApp();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'parley-tty-'));
      for (let i = 0; i < 50; i += 1) writeFileSync(join(dir, `s-${i}.json`), JSON.stringify([{ role: 'user', content: `Question ${i}` }]));
      const command = `env PARLEY_URL=${server.url} XDG_CONFIG_HOME=${configHome()} ${process.execPath} ${BIN} import ${dir}; echo "exited $?"; sleep 30`;
      tmux('new-session', '-d', '-s', 'tty', '-x', '150', '-y', '20', command);
      const screen = () => tmux('capture-pane', '-p', '-t', 'tty');
      await eventually(() => screen().includes('exited'), 20_000, 'the import to finish');
      const lines = screen().split('\n').filter((l) => l.trim());
      expect(lines).toEqual([`[${'#'.repeat(30)}] 50/50`, 'Imported 50, skipped 0 (id exists), failed 0, of 50 documents.', 'exited 0']);
    } finally {
      await server.stop();
    }
  }, 40_000);
});
