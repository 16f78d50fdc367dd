import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeSkipped } from './mongo/harness.js';
import { startMongod } from './mongo/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs one test file in a vitest of its own, without MONGODB_URI or MONGOMS_SYSTEM_BINARY: what it printed and its JSON report. */
async function runAlone(file: string): Promise<{ code: number | null; output: string; report: JsonReport }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MONGODB_URI|MONGOMS_SYSTEM_BINARY|VITEST.*)$/.test(name)));
  const reportFile = join(mkdtempSync(join(tmpdir(), 'parley-vitest-')), 'report.json');
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const child = spawn(process.execPath, [vitest, 'run', file, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
    cwd: root,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output, report: JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport };
}

interface JsonReport {
  numPassedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { title: string; status: string }[] }[];
}

// Whether the child's outage suite would find a mongod (a download or a cached binary): then it runs for real.
const probe = await (async () => {
  const binary = process.env.MONGOMS_SYSTEM_BINARY;
  delete process.env.MONGOMS_SYSTEM_BINARY;
  try {
    return await startMongod();
  } finally {
    if (binary !== undefined) process.env.MONGOMS_SYSTEM_BINARY = binary;
  }
})();
const title = 'a MongoDB suite on a machine without mongod';
if ('server' in probe) {
  await probe.server.stop();
  describeSkipped(title, 'a mongod can be started here without MONGODB_URI and MONGOMS_SYSTEM_BINARY, so the outage suite runs for real', 'no mongod can be started');
} else describe(title, () => {
  it('reports the outage suite skipped with its one-line reason, and no stack trace', { timeout: 60_000 }, async () => {
    const { code, output, report } = await runAlone('test/mongo.outage.test.ts');
    expect(code, output).toBe(0);
    expect(output).toMatch(/^\[mongo\] SKIPPED "MongoDB going away and coming back": .+$/m);
    expect(output.split('\n').filter((line) => /^\s+at /.test(line))).toEqual([]);
    expect(output).not.toContain('DownloadError');
    const statuses = report.testResults.flatMap((file) => file.assertionResults.map((test) => test.status));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 'skipped'), JSON.stringify(report.testResults)).toBe(true);
    expect(report.numPassedTests).toBe(0);
  });
});
