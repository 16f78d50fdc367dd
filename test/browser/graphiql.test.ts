import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, launchChromium } from './chromium.js';

const SCREENSHOT = join(tmpdir(), 'parley-graphiql-subscription.png');
const SLOW = 120_000;

/** An operation of the README, by the words it starts with. */
function readmeOperation(start: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('```graphql\n').find((b) => b.startsWith(start));
  if (!block) throw new Error(`README.md has no \`${start}\` block`);
  return block.slice(0, block.indexOf('```'));
}

/** What a Monaco editor of GraphiQL shows, as plain text. */
const editorText = (page: Page, pane: string) =>
  page.locator(`${pane} .view-lines`).first().innerText().then((text) => text.replace(/\u00a0/g, ' '));

describe.runIf(chromiumPresent('GraphiQL in Chromium'))('GraphiQL in Chromium', () => {
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
      const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
      await editor.click();
      await page.keyboard.press('Control+A');
      // Pasted, as a user would: typed keys would get Monaco's closing brackets added.
      const live = readmeOperation('subscription Live');
      await page.evaluate((text) => navigator.clipboard.writeText(text), live);
      await page.keyboard.press('Control+V');
      await expect.poll(async () => (await editorText(page, '.graphiql-query-editor')).trimEnd()).toBe(live.trimEnd());
      // GraphiQL parses the document a moment after an edit; until then it would run the welcome
      // document's operation name ("Cannot infer operation Start"). Its tab title says when it has.
      await expect.poll(() => page.locator('.graphiql-tab').first().innerText(), { timeout: 30_000 }).toBe('Live');
      await page.locator('.graphiql-execute-button').click();

      // The stored message first (afterSeq: 0), then the walk-through's Append, live.
      await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: 30_000 }).toContain('"seq": 1');
      expect(await editorText(page, '.graphiql-response')).not.toContain('Required CSRF header');
      await api(readmeOperation('mutation Append'));
      await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: 30_000 }).toContain('"content": "And if it rains?"');
      expect(subscribed).toEqual(['GET text/event-stream']);
    } finally {
      await page.screenshot({ path: SCREENSHOT }).catch(() => undefined);
      await context.close();
    }
  }, SLOW);
});
