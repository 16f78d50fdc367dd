import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Counts {
  concatenated: number;
  sliced: number;
}

/** Runs test/fixtures/stored-strings.ts in a process of its own (see there). */
async function storeAndCount(rounds: number): Promise<{ stored: number; before: Counts; after: Counts }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/fixtures/stored-strings.ts', String(rounds)], { cwd: root, timeout: 60_000 });
  return JSON.parse(stdout) as { stored: number; before: Counts; after: Counts };
}

describe('the memory adapter', () => {
  it('keeps of a stored message neither the pieces its strings were joined from nor the longer string they were cut from', async () => {
    const { stored, before, after } = await storeAndCount(500);
    expect(stored).toBe(1000);
    // 1,000 messages whose ids, content, names and clientIds were all joined or cut: each one
    // kept as it came would leave at least one such string behind. A few come and go with the
    // runtime itself.
    expect(after.concatenated - before.concatenated).toBeLessThan(10);
    expect(after.sliced - before.sliced).toBeLessThan(10);
  }, 60_000);
});
