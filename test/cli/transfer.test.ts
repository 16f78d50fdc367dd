import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type Running } from '../live/helpers.js';
import { gql, seedSession, totalSessions } from './gql.js';
import { configHome, parley } from './run.js';

let server: Running;
let dir: string;
const env = { XDG_CONFIG_HOME: configHome() };
const run = (...args: string[]) => parley(args, { url: server.url, env });
beforeEach(async () => {
  server = await startApp();
  dir = mkdtempSync(join(tmpdir(), 'parley-files-'));
});
afterEach(() => server.stop());

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const withoutExportTime = ({ exportedAt: _, ...document }: Record<string, unknown>) => document;

/** An SDK session file, as the Python SDKs write them. */
const sdkFile = (i: number) => ({
  id: `sdk-${i}`,
  title: `Support case ${i}`,
  created_at: '2026-03-02T09:14:05.120Z',
  updated_at: '2026-03-02T09:19:41.902Z',
  messages: [
    { id: 'msg_1', role: 'user', content: `Case ${i}: the installer stops at 80%.`, timestamp: '2026-03-02T09:14:05.120Z' },
    { id: 'msg_2', role: 'assistant', content: 'Which operating system?', timestamp: '2026-03-02T09:14:07.455Z' },
  ],
  context: { user_id: `user_${i}` },
  metadata: { category: i % 2 ? 'billing' : 'technical_support' },
});

describe('parley export and import', () => {
  it('round-trips a session through a Parley document: deleted, imported back, it exports the same', async () => {
    await seedSession(server.url, 'lisbon');
    const file = join(dir, 'lisbon.json');
    expect(await run('export', 'lisbon', '-o', file)).toMatchObject({ exitCode: 0, stdout: '' });
    const before = json(file);
    expect(before).toMatchObject({ format: 'parley.session', version: 1, session: { id: 'lisbon', systemPrompt: 'You are a concise travel assistant.' } });
    await run('rm', 'lisbon');
    const imported = await run('import', file);
    expect(imported).toMatchObject({ exitCode: 0, stdout: 'Imported 1, skipped 0 (id exists), failed 0, of 1 documents.\n' });
    expect(withoutExportTime(JSON.parse((await run('export', 'lisbon')).stdout) as Record<string, unknown>)).toEqual(withoutExportTime(before));
  });

  it.each([
    ['sdk', 'an SDK session file'],
    ['chat', 'a chat-completion message list'],
  ])('round-trips a session through --format %s (%s): imported under a new id, it exports the same', async (format) => {
    await seedSession(server.url, 'lisbon');
    const file = join(dir, `lisbon.${format}.json`);
    await run('export', 'lisbon', '--format', format, '-o', file);
    const imported = await run('import', file, '--new-id', '--use');
    expect(imported.exitCode, imported.stderr).toBe(0);
    const newId = /^Active session: (\S+)$/m.exec(imported.stdout)?.[1];
    expect(newId).toBeDefined();
    expect(newId).not.toBe('lisbon');
    const again = JSON.parse((await run('export', '--format', format)).stdout) as Record<string, unknown>;
    expect(format === 'sdk' ? { ...again, id: 'lisbon' } : again).toEqual(json(file));
    expect(await totalSessions(server.url)).toBe(2);
  });

  it('imports from stdin with -', async () => {
    const document = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }];
    const { exitCode, stdout } = await parley(['import', '-'], { url: server.url, env, input: JSON.stringify(document) });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Imported 1,');
  });

  it('imports a directory of 1,000 SDK files with a summary, and a second run imports nothing twice', async () => {
    mkdirSync(join(dir, 'nested'));
    for (let i = 0; i < 1000; i += 1) writeFileSync(join(dir, i < 50 ? 'nested' : '', `session-${i}.json`), JSON.stringify(sdkFile(i)));
    writeFileSync(join(dir, 'notes.txt'), 'not a session');
    const first = await run('import', dir);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe('Imported 1000, skipped 0 (id exists), failed 0, of 1000 documents.\n');
    expect(first.stderr.trim().split('\n')).toHaveLength(1000);
    expect(first.stderr).toMatch(/^\d+\/1000 .*nested\/session-7\.json: imported as sdk-7$/m);
    expect(await totalSessions(server.url)).toBe(1000);

    const second = await run('import', dir);
    expect(second.exitCode).toBe(0);
    expect(second.stdout.split('\n')[0]).toBe('Imported 0, skipped 1000 (id exists), failed 0, of 1000 documents.');
    expect(second.stdout).toContain(`skipped ${join(dir, 'session-120.json')}: `);
    expect(await totalSessions(server.url)).toBe(1000);
    const { session } = await gql<{ session: { title: string; messageCount: number; metadata: unknown } }>(server.url, '{ session(id: "sdk-7") { title messageCount metadata } }');
    expect(session).toEqual({ title: 'Support case 7', messageCount: 2, metadata: { category: 'billing' } });
  });

  it('reports each invalid file with its problems at their JSON paths, imports the rest, and exits 1', async () => {
    for (let i = 0; i < 5; i += 1) writeFileSync(join(dir, `good-${i}.json`), JSON.stringify(sdkFile(i)));
    writeFileSync(join(dir, 'broken.json'), '{"id": "half", "messages": [');
    const badRole = sdkFile(9);
    (badRole.messages[1] as { role: string }).role = 'robot';
    writeFileSync(join(dir, 'bad-role.json'), JSON.stringify(badRole));
    writeFileSync(join(dir, 'number.json'), '42');
    const { exitCode, stdout } = await run('import', dir);
    expect(exitCode).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('Imported 5, skipped 0 (id exists), failed 3, of 8 documents.');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^failed  ${join(dir, 'broken.json')}: not JSON: `)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^failed  ${join(dir, 'bad-role.json')}: document\\.messages\\.1\\.role: `)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^failed  ${join(dir, 'number.json')}: document: `)));
    expect(await totalSessions(server.url)).toBe(5);
  });

  it('says which path does not exist, exit 2, importing nothing', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify(sdkFile(1)));
    expect(await run('import', join(dir, 'a.json'), join(dir, 'missing.json'))).toMatchObject({ exitCode: 2, stderr: `parley: ${join(dir, 'missing.json')}: no such file or directory\n` });
    expect(await totalSessions(server.url)).toBe(0);
  });
});

describe('parley export-all', () => {
  it('writes 250 sessions as chat-completion JSONL, one {"messages"} per line, system prompt first, across pages', async () => {
    for (let i = 0; i < 250; i += 1) await seedSession(server.url, `s-${String(i).padStart(3, '0')}`, { metadata: { batch: i % 5 === 0 ? 'eval' : 'train' } });
    const file = join(dir, 'train.jsonl');
    const { exitCode, stderr } = await run('export-all', '--jsonl', '-o', file);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('Exported 250 sessions\n');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(lines).toHaveLength(250);
    for (const line of lines) {
      expect(line).toEqual({
        messages: [
          { role: 'system', content: 'You are a concise travel assistant.' },
          { role: 'user', content: 'Two days in Lisbon?' },
          { role: 'assistant', content: 'Alfama, tram 28, Belem.' },
          { role: 'user', content: 'And if it rains?' },
        ],
      });
    }
    const evals = await run('export-all', '--meta', 'batch=eval', '--jsonl');
    expect(evals.stdout.trimEnd().split('\n')).toHaveLength(50);
  });

  it('writes a lossless backup with --format parley that parley import restores on another server', async () => {
    for (let i = 0; i < 120; i += 1) await seedSession(server.url, `b-${i}`);
    const file = join(dir, 'backup.jsonl');
    expect((await run('export-all', '--format', 'parley', '-o', file)).exitCode).toBe(0);
    const other = await startApp();
    try {
      const restored = await parley(['import', file], { url: other.url, env });
      expect(restored.stdout).toBe('Imported 120, skipped 0 (id exists), failed 0, of 120 documents.\n');
      const exported = await parley(['export', 'b-7'], { url: other.url, env });
      expect(withoutExportTime(JSON.parse(exported.stdout) as Record<string, unknown>)).toEqual(withoutExportTime(JSON.parse((await run('export', 'b-7')).stdout) as Record<string, unknown>));
    } finally {
      await other.stop();
    }
  });
});
