import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../providers/echo/index.js';
import { TEST_CONFIG } from '../api/client.js';
import { startApp, type Running } from '../live/helpers.js';
import { configHome, parley } from './run.js';

const SDK_FILE = 'test/fixtures/sdk-session.json';

describe('parley with API keys (AUTH_MODE=apikey)', () => {
  let server: Running;
  const env = { XDG_CONFIG_HOME: configHome() };
  beforeAll(async () => {
    const auth = { ...TEST_CONFIG.auth, mode: 'apikey' as const, apiKeys: [{ key: 'k-alice', ownerId: 'alice', admin: false }, { key: 'k-ops', ownerId: 'ops', admin: true }] };
    server = await startApp({ auth }, undefined, { provider: createEchoProvider({ delayMs: 5 }) });
  });
  afterAll(() => server.stop());
  const as = (key: string | null, ...args: string[]) => parley(args, { url: server.url, env: { ...env, ...(key && { PARLEY_API_KEY: key }) } });

  it('exits 3 with the server\'s reason when the key is missing or wrong', async () => {
    const missing = await as(null, 'sessions');
    expect(missing.exitCode).toBe(3);
    // The server shortens quoted text in its messages to 32 characters, its own hint included.
    expect(missing.stderr).toMatch(/^parley: Authentication required: send an Authorization header of Bearer <credential> \(an API key or a JWT\) \(UNAUTHENTICATED\)\n$/);
    expect(await as('k-nobody', 'sessions')).toMatchObject({ exitCode: 3, stderr: 'parley: Invalid API key (UNAUTHENTICATED)\n' });
  });

  it('sends PARLEY_API_KEY or --api-key as a Bearer token: each caller sees its own sessions', async () => {
    expect((await as('k-alice', 'import', SDK_FILE)).exitCode).toBe(0);
    const mine = await as('k-alice', 'sessions', '--json');
    expect(mine.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ownerId: string; title: string })).toMatchObject([{ ownerId: 'alice', title: 'Installer trouble' }]);
    const viaFlag = await parley(['--api-key', 'k-ops', 'sessions', '--owner', 'ops'], { url: server.url, env });
    expect(viaFlag).toMatchObject({ exitCode: 0 });
    expect(viaFlag.stdout).toContain('0 of 0 sessions');
  });

  it('imports again on a second run for a caller that is not an admin: the server gives its imports new ids', async () => {
    const before = (await as('k-alice', 'sessions', '--json')).stdout.trim().split('\n').length;
    const again = await as('k-alice', 'import', SDK_FILE);
    expect(again.stdout).toMatch(/^Imported 1, skipped 0/);
    expect((await as('k-alice', 'sessions', '--json')).stdout.trim().split('\n')).toHaveLength(before + 1);
    // An admin's import keeps the document's id, so its second run skips.
    expect((await as('k-ops', 'import', SDK_FILE)).stdout).toMatch(/^Imported 1, skipped 0/);
    expect((await as('k-ops', 'import', SDK_FILE)).stdout).toMatch(/^Imported 0, skipped 1/);
  });

  it('chats with the key on the WebSocket too (connectionParams), and refuses a wrong key in one line', async () => {
    const chat = await as('k-alice', 'chat', '--new');
    expect(chat.exitCode).toBe(0);
    const talked = await parley(['chat', '--new'], { url: server.url, env: { ...env, PARLEY_API_KEY: 'k-alice' }, input: 'Hello from a key\n' });
    expect(talked).toMatchObject({ exitCode: 0 });
    expect(talked.stdout).toMatch(/^Echo: Hello from a key\nSession \S+\n$/);
    expect(await as('k-nobody', 'chat', '--new')).toMatchObject({ exitCode: 3, stderr: 'parley: Invalid API key (UNAUTHENTICATED)\n' });
  });
});
