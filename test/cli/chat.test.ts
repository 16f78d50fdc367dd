import { execFileSync, spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../providers/echo/index.js';
import { eventually, startApp, type Running } from '../live/helpers.js';
import { gql, seedSession } from './gql.js';
import { BIN, configHome, parley, tmuxPresent } from './run.js';

let server: Running;
const env = { XDG_CONFIG_HOME: configHome() };
beforeEach(async () => {
  server = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 40 }) });
});
afterEach(() => server.stop());

type Stored = { session: { title: string | null; model: string | null; messages: { edges: { node: { role: string; content: string; metadata: Record<string, unknown> } }[] } } };
const stored = (id: string) =>
  gql<Stored>(server.url, 'query($id: ID!) { session(id: $id) { title model messages(first: 100) { edges { node { role content metadata } } } } }', { id });

describe('parley chat, fed through stdin', () => {
  it('sends each line, streams the reply as it is generated, shows /history, and prints the session id at the end', async () => {
    const input = 'Tell me about the trams of Lisbon in the morning\n/history 2\n/quit\nnever sent\n';
    const { exitCode, stdout, stderr, chunks } = await parley(['chat', '--new', '--title', 'Trams', '--model', 'echo-1'], { url: server.url, env, input });
    expect(exitCode, stderr).toBe(0);
    const reply = 'Echo: Tell me about the trams of Lisbon in the morning';
    const id = /^Session (\S+)$/m.exec(stdout)?.[1] as string;
    expect(stdout).toBe(`${reply}\n#1 USER: Tell me about the trams of Lisbon in the morning\n#2 ASSISTANT: ${reply}\nSession ${id}\n`);
    // Streamed: the reply came in pieces over time, not in one write at the end.
    const pieces = chunks.filter((c) => reply.includes(c.text.trim()) && c.text.trim());
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    expect((pieces.at(-1)?.at ?? 0) - (pieces[0]?.at ?? 0)).toBeGreaterThan(150);
    const { session } = await stored(id);
    expect(session).toMatchObject({ title: 'Trams', model: 'echo-1' });
    expect(session.messages.edges.map((e) => [e.node.role, e.node.content])).toEqual([
      ['USER', 'Tell me about the trams of Lisbon in the morning'],
      ['ASSISTANT', reply],
    ]);
  });

  it('continues the active session when no id is given, one reply per line, in order', async () => {
    await seedSession(server.url, 'lisbon');
    await parley(['use', 'lisbon'], { url: server.url, env });
    const { exitCode, stdout } = await parley(['chat'], { url: server.url, env, input: 'First question\nSecond question\n' });
    expect(exitCode).toBe(0);
    expect(stdout).toBe('Echo: First question\nEcho: Second question\nSession lisbon\n');
    const { session } = await stored('lisbon');
    expect(session.messages.edges.map((e) => e.node.content).slice(3)).toEqual(['First question', 'Echo: First question', 'Second question', 'Echo: Second question']);
  });

  it('goes on in a copy after /fork, and writes the session with /export file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-chat-'));
    const file = join(dir, 'forked.json');
    const input = `Before the fork\n/fork\nAfter the fork\n/export ${file}\n`;
    const { exitCode, stdout, stderr } = await parley(['chat', '--new'], { url: server.url, env, input });
    expect(exitCode, stderr).toBe(0);
    const original = /^Session (\S+)\. /.exec(stderr)?.[1] as string;
    const fork = /^Session (\S+)$/m.exec(stdout)?.[1] as string;
    expect(stderr).toContain(`Forked ${original} into ${fork} (2 messages): going on there\n`);
    expect(stderr).toContain(`Exported ${fork} to ${file}\n`);
    expect(stdout).toBe(`Echo: Before the fork\nEcho: After the fork\nSession ${fork}\n`);
    expect((await stored(original)).session.messages.edges).toHaveLength(2);
    expect((await stored(fork)).session.messages.edges.map((e) => e.node.content)).toEqual(['Before the fork', 'Echo: Before the fork', 'After the fork', 'Echo: After the fork']);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; session: { id: string }; messages: unknown[] };
    expect(exported).toMatchObject({ format: 'parley.session', session: { id: fork } });
    expect(exported.messages).toHaveLength(4);
  });

  it('reports a session that does not exist, exit 1, and an unknown /command without sending it', async () => {
    expect(await parley(['chat', 'nowhere'], { url: server.url, env, input: 'Hi\n' })).toMatchObject({ exitCode: 1, stderr: 'parley: Session nowhere was not found\n' });
    const { stdout, stderr } = await parley(['chat', '--new'], { url: server.url, env, input: '/fly away\n' });
    expect(stderr).toContain('Unknown command /fly.');
    expect(stdout).toMatch(/^Session \S+\n$/);
  });
});

/** A TCP proxy in front of the server that can drop every connection through it, as a flaky network does. */
async function flakyProxy(target: string) {
  const { port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const end = () => (pairs.delete(pair), client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`,
    drop: () => {
      const dropped = pairs.size;
      for (const [a, b] of pairs) (a.destroy(), b.destroy());
      return dropped;
    },
    close: () => new Promise((resolve) => (proxy.close(resolve), pairs.forEach(([a, b]) => (a.destroy(), b.destroy())))),
  };
}

describe('parley chat on a connection that drops mid-reply', () => {
  it('reconnects and prints the whole reply once: nothing lost, nothing repeated', async () => {
    const slow = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 100 }) });
    const proxy = await flakyProxy(slow.url);
    try {
      const words = Array.from({ length: 30 }, (_, i) => `word${i + 1}`).join(' ');
      const child = spawn(process.execPath, [BIN, 'chat', '--new'], { env: { ...process.env, PARLEY_URL: proxy.url, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.stdin.end(`${words}\n`);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await eventually(() => stdout.includes('word3 '), 15_000, 'the reply to start');
      expect(proxy.drop()).toBeGreaterThan(0);
      const seenAtDrop = stdout;
      expect(seenAtDrop).not.toContain('word30');
      expect(await exited, stderr).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Echo: ${words}\\nSession \\S+\\n$`));
    } finally {
      await proxy.close();
      await slow.stop();
    }
  }, 60_000);
});

describe.runIf(tmuxPresent('parley chat in a terminal (a tmux pseudo-terminal)'))('parley chat in a terminal (a tmux pseudo-terminal)', () => {
  const socket = `parley-test-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'chat', '-S', '-100');
  afterEach(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('streams a reply, stops it with Ctrl-C (cancelRun, the text so far kept), and quits with a second Ctrl-C', async () => {
    const slow = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 150 }) });
    try {
      const command = `env PARLEY_URL=${slow.url} XDG_CONFIG_HOME=${env.XDG_CONFIG_HOME} ${process.execPath} ${BIN} chat --new; echo "exited $?"; sleep 30`;
      tmux('new-session', '-d', '-s', 'chat', '-x', '200', '-y', '50', command);
      await eventually(() => screen().includes('Ctrl-C stops a reply'), 15_000, 'the chat to start');
      tmux('send-keys', '-t', 'chat', 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen', 'Enter');
      await eventually(() => /Echo: one two/.test(screen()), 10_000, 'the reply to start streaming');
      tmux('send-keys', '-t', 'chat', 'C-c');
      await eventually(() => screen().includes('(cancelled)'), 10_000, 'the reply to be cancelled');
      expect(screen()).toContain('(stopping the reply: Ctrl-C again quits)');
      expect(screen()).not.toMatch(/Echo: .*fourteen/);
      tmux('send-keys', '-t', 'chat', 'C-c');
      await eventually(() => screen().includes('exited'), 10_000, 'parley to quit');
      const id = /Session (\S+)\s*\n\s*exited 0/.exec(screen())?.[1] as string;
      expect(id).toBeDefined();
      const { session } = await gql<Stored>(slow.url, 'query($id: ID!) { session(id: $id) { title model messages(first: 100) { edges { node { role content metadata } } } } }', { id });
      const [, assistant] = session.messages.edges.map((e) => e.node);
      expect(assistant?.content).toMatch(/^Echo: one two/);
      expect(assistant?.content).not.toContain('fourteen');
      expect(assistant?.metadata).toMatchObject({ run: { incomplete: true } });
    } finally {
      await slow.stop();
    }
  }, 60_000);

  it('quits at once on two quick Ctrl-Cs during a reply, the run still cancelled', async () => {
    const slow = await startApp({}, undefined, { provider: createEchoProvider({ delayMs: 200 }) });
    try {
      const command = `env PARLEY_URL=${slow.url} XDG_CONFIG_HOME=${env.XDG_CONFIG_HOME} ${process.execPath} ${BIN} chat --new; echo "exited $?"; sleep 30`;
      tmux('new-session', '-d', '-s', 'chat', '-x', '200', '-y', '50', command);
      await eventually(() => screen().includes('Ctrl-C stops a reply'), 15_000, 'the chat to start');
      tmux('send-keys', '-t', 'chat', 'a b c d e f g h i j k l m n o p q r s t u v w x y z', 'Enter');
      await eventually(() => /Echo: a/.test(screen()), 10_000, 'the reply to start streaming');
      tmux('send-keys', '-t', 'chat', 'C-c');
      tmux('send-keys', '-t', 'chat', 'C-c');
      await eventually(() => screen().includes('exited'), 3000, 'parley to quit at once');
      const id = /Session (\S+)\s*\n\s*exited 0/.exec(screen())?.[1] as string;
      expect(id).toBeDefined();
      expect(screen()).not.toMatch(/Echo: .*z/);
      const runs = () => gql<{ session: { runs: { status: string }[] } }>(slow.url, 'query($id: ID!) { session(id: $id) { runs { status } } }', { id });
      let status = '';
      for (const deadline = Date.now() + 5000; status !== 'CANCELLED' && Date.now() < deadline; await sleep(50)) status = (await runs()).session.runs[0]?.status ?? '';
      expect(status).toBe('CANCELLED');
    } finally {
      await slow.stop();
    }
  }, 60_000);
});
