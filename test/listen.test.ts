import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLines } from './logs.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs src/server/main.ts (node itself, tsx as a loader) until it exits by itself: its exit code and everything it printed. */
async function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env } });
  let output = '';
  server.stdout.on('data', (chunk) => (output += String(chunk)));
  server.stderr.on('data', (chunk) => (output += String(chunk)));
  const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
  const [code] = (await once(server, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

let held: Server | undefined;
afterEach(async () => {
  if (held) await new Promise((resolve) => held!.close(resolve));
  held = undefined;
});

describe('the server process when it cannot listen', () => {
  it('says in one line that the port is in use, and exits 1', async () => {
    held = createServer();
    held.listen(0, '127.0.0.1');
    await once(held, 'listening');
    const port = (held.address() as AddressInfo).port;
    const { code, output } = await runServer({ PORT: String(port), HOST: '127.0.0.1' });
    expect(code).toBe(1);
    const lines = parseLines(output);
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: `cannot listen on 127.0.0.1:${port}: port ${port} is already in use (EADDRINUSE)` });
  });

  it('says in one line that the host is unknown, and exits 1', async () => {
    const { code, output } = await runServer({ PORT: '0', HOST: 'no-such-host.invalid' });
    expect(code).toBe(1);
    const lines = parseLines(output);
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'cannot listen on no-such-host.invalid:0: the host name is unknown (ENOTFOUND)' });
  });
});

describe('the server process with a bad environment', () => {
  it('says in one line that OTEL_TRACES_SAMPLER is one it does not know, and exits 1', async () => {
    const { code, output } = await runServer({ PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_SAMPLER: 'always_sometimes' });
    expect(code).toBe(1);
    expect(output).toBe(`Invalid environment: OTEL_TRACES_SAMPLER="always_sometimes": expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio\n`);
  });
});
