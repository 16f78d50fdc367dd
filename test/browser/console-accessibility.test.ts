import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

/** axe-core on every view and dialog, and keyboard use at phone width. */
describe.runIf(chromiumPresent('The Parley Console in Chromium: accessibility'))('The Parley Console in Chromium: accessibility', () => {
  const c = useConsole();
  const { createSession, rowTitles, messageTexts, accessibilityProblems } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  it('passes axe-core on the list, the conversation and its dialogs', async () => {
    const id = await createSession('Accessible', {
      systemPrompt: 'You are terse.',
      metadata: { topic: 'a11y' },
      messages: [
        { role: 'USER', content: 'Which tools?', metadata: { source: 'test' } },
        { role: 'TOOL', name: 'search', content: '{"hits": 3}' },
        { role: 'ASSISTANT', content: 'Three hits.' },
      ],
    });
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).toContain('Accessible');
    await page.getByText('More filters and order').click();
    expect(await accessibilityProblems(), 'the list').toEqual([]);
    await page.goto(`${origin}/console#/sessions/${id}`);
    // The tool's output is folded: its text is not shown until opened.
    await expect.poll(() => messageTexts()).toEqual(['Which tools?', '', 'Three hits.']);
    expect(await accessibilityProblems(), 'the conversation').toEqual([]);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Session settings' });
    await settings.getByLabel('Title').fill('x'.repeat(501));
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#settings-title-problems').count()).toBe(1);
    expect(await accessibilityProblems(), 'the settings with a problem').toEqual([]);
    await settings.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete session' }).click();
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(1);
    expect(await accessibilityProblems(), 'the delete dialog').toEqual([]);
  }, SLOW);

  it('works by keyboard alone at 360 px wide', async () => {
    await createSession('Narrow screen', { messages: [{ role: 'USER', content: 'Fits on a phone' }] });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${origin}/console`);
    await page.getByLabel('Filter by title').fill('Narrow screen');
    await expect.poll(rowTitles).toEqual(['Narrow screen']);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('More filters and order');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Narrow screen');
    await page.keyboard.press('Enter');
    await expect.poll(() => messageTexts()).toEqual(['Fits on a phone']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: 'focus moves to the opened conversation' }).toBe('conversation-heading');
    expect(await page.locator('.sessions').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByLabel('Message', { exact: true }).focus();
    await page.keyboard.type('Typed with keys');
    await page.keyboard.press('Enter');
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toEqual(['Fits on a phone', 'Typed with keys', 'Echo: Typed with keys']);
    await page.getByRole('link', { name: '← Sessions' }).press('Enter');
    await expect.poll(() => page.locator('.sessions').isVisible()).toBe(true);
  }, SLOW);
});
