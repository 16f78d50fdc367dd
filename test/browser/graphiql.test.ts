import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, launchChromium, SLOW, readmeOperation, responseText, runOperation } from './helpers.js';

const SCREENSHOT = join(tmpdir(), 'parley-graphiql-subscription.png');

describe.runIf(chromiumPresent())('GraphiQL in Chromium', () => {
  let app: App | undefined;
  let browser: Browser | undefined;
  let url: string;

  beforeAll(async () => {
    app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, graphiql: true } });
    url = await app.start(0);
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await app?.stop();
    }
  }, SLOW);

  async function api(query: string) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: Record<string, { __typename?: string }>; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  }

  it("runs the README's `subscription Live` and shows a message appended meanwhile", async () => {
    await api(readmeOperation('mutation Create'));
    const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    const subscribed: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('messageAdded')) subscribed.push(`${request.method()} ${request.headers()['accept']}`);
    });
    try {
      await page.goto(url);
      await runOperation(page, readmeOperation('subscription Live'), 'Live');

      // The stored message first (afterSeq: 0), then the walk-through's Append, live.
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain('"seq": 1');
      expect(await responseText(page)).not.toContain('Required CSRF header');
      await api(readmeOperation('mutation Append'));
      await expect.poll(() => responseText(page), { timeout: 30_000 }).toContain('"content": "And if it rains?"');
      expect(subscribed).toEqual(['GET text/event-stream']);
    } finally {
      await page.screenshot({ path: SCREENSHOT }).catch(() => undefined);
      await context.close();
    }
  }, SLOW);
});
