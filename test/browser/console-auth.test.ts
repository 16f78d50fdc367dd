import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

/** With AUTH_MODE=apikey: the key in the tab, what its owner sees, and a refused socket. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: API keys', () => {
  const c = useConsole();
  const { rowTitles, accessibilityProblems, consoleDir } = c;
  let page: Page;
  beforeEach(() => {
    page = c.page;
  });

  it('asks for an API key where AUTH_MODE=apikey, keeps it in the tab, and shows only what its owner may see', async () => {
    const apiKeys = [
      { ownerId: 'alice', key: 'alice-key-0123456789', admin: false },
      { ownerId: 'bob', key: 'bob-key-0123456789', admin: false },
    ];
    const guarded = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, console: true, auth: { ...TEST_CONFIG.auth, mode: 'apikey', apiKeys } }, consoleDir });
    const url = await guarded.start(0);
    const as = (key: string, title: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: 'mutation($t: String) { createSession(input: { title: $t }) { __typename } }', variables: { t: title } }),
      });
    try {
      await as('alice-key-0123456789', 'Alice notes');
      await as('bob-key-0123456789', 'Bob notes');
      await page.goto(new URL('/console', url).href);
      await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Enter key' }).click();
      await page.getByLabel('API key or token').fill('alice-key-0123456789');
      await page.getByRole('button', { name: 'Use it' }).click();
      await expect.poll(rowTitles).toEqual(['Alice notes']);
      await as('alice-key-0123456789', 'Alice later');
      await expect.poll(rowTitles).toEqual(['Alice later', 'Alice notes']);
      await page.getByRole('button', { name: 'Forget key' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Enter key' }).count()).toBe(1);
      await expect.poll(rowTitles).toEqual([]);
    } finally {
      await guarded.stop();
    }
  }, SLOW);

  it('stops the refused subscription after "Forget key" until a key is entered, and says why', async () => {
    const guarded = createApp({
      storage: createMemoryStorage(),
      config: { ...TEST_CONFIG, console: true, auth: { ...TEST_CONFIG.auth, mode: 'apikey', apiKeys: [{ ownerId: 'carol', key: 'carol-key-0123456789', admin: false }] } },
      consoleDir,
    });
    const url = await guarded.start(0);
    try {
      await page.goto(new URL('/console', url).href);
      await page.evaluate(() => sessionStorage.setItem('parley-credential', 'carol-key-0123456789'));
      // Timers under the test's control from here: the page's own pauses pass only when it says so.
      await page.clock.install();
      await page.reload();
      await expect.poll(() => page.locator('.connection').innerText()).toBe('Live');
      const opened: string[] = [];
      let closed = 0;
      page.on('websocket', (ws) => {
        opened.push(ws.url());
        ws.on('close', () => void closed++);
      });
      await page.getByRole('button', { name: 'Forget key' }).click();
      await expect.poll(() => closed, { message: 'the socket without a key is refused' }).toBeGreaterThan(0);
      const refused = opened.length;
      // Half a minute of the page's time, in steps longer than the old console's longest pause
      // between attempts (4 s): each step fired its next attempt, which the server refused again.
      for (let step = 0; step < 6; step++) {
        await page.clock.runFor(5_000);
        await page.waitForTimeout(200);
        await expect.poll(() => closed, { message: 'every socket opened is refused' }).toBe(opened.length);
      }
      expect(opened.length, 'no socket opened again without a key').toBe(refused);
      await expect.poll(() => page.locator('.connection').innerText()).toMatch(/^Refused: /);
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Refused' }).innerText()).toContain('Authentication required');
      expect(await accessibilityProblems(), 'the refusal').toEqual([]);
      // Entering a key starts the subscriptions again.
      await page.getByRole('button', { name: 'Enter key' }).click();
      await page.getByLabel('API key or token').fill('carol-key-0123456789');
      await page.getByRole('button', { name: 'Use it' }).click();
      await expect.poll(() => page.locator('.connection').innerText()).toBe('Live');
    } finally {
      await guarded.stop();
    }
  }, SLOW);
});
