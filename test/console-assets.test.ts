import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { TEST_CONFIG } from './api/client.js';

function appWith(config: Partial<typeof TEST_CONFIG>, files: Record<string, string> | null = { 'index.html': '<!doctype html><title>Parley Console</title>', 'console.js': 'export {};' }) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-assets-'));
  for (const [name, text] of Object.entries(files ?? {})) writeFileSync(join(dir, name), text);
  const app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, ...config }, consoleDir: dir });
  return (path: string, init: RequestInit = {}) => app.yoga.fetch(`http://parley.test${path}`, init);
}

describe('serving the console', () => {
  it('serves its page at /console and its assets under /console/, with a policy that allows only its own origin', async () => {
    const get = appWith({ console: true });
    const page = await get('/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('Parley Console');
    expect((await get('/console/')).status).toBe(200);
    const script = await get('/console/console.js');
    expect({ status: script.status, type: script.headers.get('content-type'), body: await script.text() }).toEqual({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      body: 'export {};',
    });
  });

  it('answers 404 for files it does not have and for paths that leave its folder', async () => {
    const get = appWith({ console: true });
    for (const path of ['/console/missing.js', '/console/..%2Fpackage.json', '/console/a/b.js', '/console/.env']) expect((await get(path)).status, path).toBe(404);
  });

  it('links the console and GraphiQL from /, GraphiQL only while it is served', async () => {
    const withGraphiql = await (await appWith({ console: true, graphiql: true })('/')).text();
    expect(withGraphiql).toContain('href="/console"');
    expect(withGraphiql).toContain('href="/graphql"');
    expect(await (await appWith({ console: true, graphiql: false })('/')).text()).not.toContain('href="/graphql"');
  });

  it('says how to build it when its bundle is missing', async () => {
    const page = await appWith({ console: true }, null)('/console');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
  });

  it('serves nothing at /console or / when CONSOLE is off, and leaves GraphQL alone', async () => {
    const get = appWith({ console: false });
    expect((await get('/console')).status).toBe(404);
    expect((await get('/')).status).toBe(404);
    const post = await get('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
