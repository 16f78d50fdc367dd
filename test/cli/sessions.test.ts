import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Running } from '../live/helpers.js';
import { gql, seedSession, totalSessions } from './gql.js';
import { configHome, parley } from './run.js';

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const COMMANDS = ['serve', 'sessions', 'show', 'use', 'rm', 'export', 'import', 'export-all', 'chat'];

describe('parley, without a server', () => {
  it('prints its commands and exit codes with --help, and exits 0', async () => {
    const { exitCode, stdout } = await parley(['--help']);
    expect(exitCode).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(stdout).toContain('Exit codes: 0 done; 1');
  });

  it.each(COMMANDS)('has --help with examples for `parley %s`', async (command) => {
    const { exitCode, stdout } = await parley([command, '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Usage: parley ${command}`);
    expect(stdout).toMatch(new RegExp(`Examples:\\n  .*parley ${command}`));
    expect(stdout).toContain('--url <url>');
  });

  it('exits 2 on a wrong command line, saying what is wrong', async () => {
    const { exitCode, stderr } = await parley(['sessions', '--limit', 'many']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("option '--limit <n>' argument 'many' is invalid");
  });

  it('exits 3 with one line when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const { exitCode, stderr } = await parley(['sessions'], { url });
    expect(exitCode).toBe(3);
    expect(stderr).toBe(`parley: Cannot reach Parley at ${url}: ECONNREFUSED\n`);
  });
});

describe('parley sessions, show, use and rm', () => {
  let server: Running;
  const env = { XDG_CONFIG_HOME: configHome() };
  beforeAll(async () => {
    server = await startApp();
    await seedSession(server.url, 'lisbon', { ownerId: 'alice' });
    await seedSession(server.url, 'porto', { ownerId: 'bob', title: 'Porto wine', metadata: { category: 'food' } });
  });
  afterAll(() => server.stop());
  const run = (...args: string[]) => parley(args, { url: server.url, env });

  it('lists sessions as a table, newest first, with a count', async () => {
    const { exitCode, stdout } = await run('sessions');
    expect(exitCode).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+MESSAGES\s+UPDATED\s+PREVIEW$/);
    expect(lines.slice(1, 3).map((l) => l.split(/\s{2,}/)[0])).toEqual(['porto', 'lisbon']);
    expect(lines[2]).toMatch(/^lisbon\s+Trip lisbon\s+3\s+\S+ \S+\s+Two days in Lisbon\?$/);
    expect(lines.at(-1)).toBe('2 of 2 sessions');
  });

  it('filters by owner, metadata and title, and prints JSON lines with --json', async () => {
    const byMeta = await run('sessions', '--meta', 'category=travel', '--meta', 'priority=2', '--json');
    expect(byMeta.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['lisbon']);
    const byOwner = await run('sessions', '--owner', 'bob', '--json');
    expect(byOwner.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ownerId: string })).toMatchObject([{ id: 'porto', ownerId: 'bob' }]);
    expect((await run('sessions', '--title', 'wine')).stdout).toContain('1 of 1 sessions');
    expect((await run('sessions', '--limit', '1')).stdout).toContain('1 of 2 sessions');
  });

  it('shows a session and its last messages', async () => {
    const { exitCode, stdout } = await run('show', 'lisbon', '--last', '2');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('lisbon  Trip lisbon\nowner: alice\nmodel: gpt-4o-mini\nsystem prompt: You are a concise travel assistant.');
    expect(stdout).toMatch(/\n\n#2 ASSISTANT: Alfama, tram 28, Belem.\n#3 USER: And if it rains\?\n$/);
  });

  it('shows more than a page of messages with --last, oldest first, with no gap', async () => {
    const messages = Array.from({ length: 250 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `message ${i + 1}` }));
    await seedSession(server.url, 'long', { messages });
    const { stdout } = await run('show', 'long', '--last', '150');
    const shown = stdout.split('\n\n')[1]?.trim().split('\n') ?? [];
    expect(shown).toHaveLength(150);
    expect(shown.map((l) => Number(/^#(\d+) /.exec(l)?.[1]))).toEqual(Array.from({ length: 150 }, (_, i) => 101 + i));
    expect(shown.at(-1)).toBe('#250 ASSISTANT: message 250');
    expect((await run('show', 'long')).stdout.trim().split('\n').at(-21)).toBe('');
    await gql(server.url, 'mutation { deleteSession(id: "long") { __typename } }');
  });

  it('reports a session that does not exist in one line, exit 1', async () => {
    for (const args of [['show', 'nowhere'], ['export', 'nowhere'], ['use', 'nowhere'], ['rm', 'nowhere']]) {
      expect(await run(...args), args.join(' ')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'parley: Session nowhere was not found\n' });
    }
  });

  it('remembers the active session with use, which show and export then default to, in $XDG_CONFIG_HOME/parley', async () => {
    const own = { XDG_CONFIG_HOME: configHome() };
    expect(await parley(['show'], { url: server.url, env: own })).toMatchObject({ exitCode: 2 });
    expect((await parley(['use', 'porto'], { url: server.url, env: own })).stdout).toBe('Active session: porto (Porto wine)\n');
    expect(readFileSync(join(own.XDG_CONFIG_HOME, 'parley', 'active-session'), 'utf8')).toBe('porto\n');
    expect((await parley(['show'], { url: server.url, env: own })).stdout).toMatch(/^porto {2}Porto wine\n/);
    expect(JSON.parse((await parley(['export'], { url: server.url, env: own })).stdout)).toMatchObject({ session: { id: 'porto' } });
    expect(await parley(['use', 'nowhere'], { url: server.url, env: own })).toMatchObject({ exitCode: 1 });
  });

  it('deletes a session with rm, and forgets it as the active one', async () => {
    await seedSession(server.url, 'doomed');
    await run('use', 'doomed');
    expect(await run('rm', 'doomed')).toMatchObject({ exitCode: 0, stdout: 'Deleted doomed (3 messages)\n' });
    expect(await gql(server.url, '{ session(id: "doomed") { id } }')).toEqual({ session: null });
    expect((await run('show')).exitCode).toBe(2);
    expect(await run('rm', 'doomed')).toMatchObject({ exitCode: 1 });
    expect(await totalSessions(server.url)).toBe(2);
  });
});
