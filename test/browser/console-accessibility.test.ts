import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

/** axe-core on every view and dialog, and keyboard use at phone width. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: accessibility', () => {
  const c = useConsole();
  const { api, createSession, rowTitles, messageTexts, accessibilityProblems } = c;
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

  it('passes axe-core on the users view, its dialogs and the merge dialog', async () => {
    await api('mutation { upsertUser(input: { id: "axe-user", name: "Axe User", profile: "Checks things.", metadata: { team: "qa" } }) { __typename } }');
    await createSession('Axe merge 1');
    await createSession('Axe merge 2');
    await page.goto(`${origin}/console#/users`);
    await expect.poll(() => page.locator('.user-row h3').allInnerTexts()).toContain('Axe User');
    await page.locator('.user-row', { hasText: 'Axe User' }).getByText('Metadata').click();
    expect(await accessibilityProblems(), 'the users view').toEqual([]);
    await page.getByRole('button', { name: 'Edit Axe User' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Axe User' });
    await dialog.getByLabel('Name').fill('');
    await dialog.getByLabel('Metadata (a JSON object)').fill('[]');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#user-metadata-problems').count()).toBe(1);
    expect(await accessibilityProblems(), 'the user dialog with a problem').toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete Axe User' }).click();
    await expect.poll(() => page.getByRole('alertdialog').count()).toBe(1);
    expect(await accessibilityProblems(), 'the delete-user dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await page.goto(`${origin}/console`);
    await page.getByLabel('Filter by title').fill('Axe merge');
    await expect.poll(rowTitles).toEqual(['Axe merge 2', 'Axe merge 1']);
    await page.getByRole('checkbox', { name: 'Select Axe merge 1' }).check();
    await page.getByRole('checkbox', { name: 'Select Axe merge 2' }).check();
    expect(await accessibilityProblems(), 'the list with a selection').toEqual([]);
    await page.getByRole('button', { name: 'Merge…' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Merge 2 sessions' }).isVisible()).toBe(true);
    await page.getByText('Owner and id (admins)').click();
    expect(await accessibilityProblems(), 'the merge dialog').toEqual([]);
  }, SLOW);

  it('works by keyboard alone in the users view and the selection at 360 px wide', async () => {
    await createSession('Keyed merge 1', { messages: [{ role: 'USER', content: 'One' }] });
    await createSession('Keyed merge 2', { messages: [{ role: 'USER', content: 'Two' }] });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${origin}/console`);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());
    // The header's Users link, by keyboard: the view's heading gets the focus.
    await page.getByRole('link', { name: 'Users' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('users-heading');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New user');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id), 'the dialog takes the focus').toBe('user-id');
    await page.keyboard.type('kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.locator('.user-row h3').allInnerTexts()).toContain('Kim Keys');
    expect(await focused(), 'the focus is back where the dialog was opened').toBe('New user');
    await page.getByRole('button', { name: 'Delete Kim Keys' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog', { name: 'Delete this user?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    expect(await focused()).toBe('Cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.user-row h3').allInnerTexts()).not.toContain('Kim Keys');
    // The heading takes it once the row is gone (an effect, run after the frame that removed it).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: 'the focus goes to the view, not to nowhere' }).toBe('users-heading');

    // Back to the sessions: select two with the space bar, merge from the keyboard.
    await page.getByRole('link', { name: 'Sessions', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Filter by title').fill('Keyed merge');
    await expect.poll(rowTitles).toEqual(['Keyed merge 2', 'Keyed merge 1']);
    await page.getByRole('link', { name: /Keyed merge 2/ }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Select Keyed merge 2');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Select Keyed merge 1');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('.selected-count').innerText()).toBe('2 selected');
    await page.getByRole('button', { name: 'Merge…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog', { name: 'Merge 2 sessions' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(focused, { message: 'the focus is back on Merge…' }).toBe('Merge…');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog', { name: 'Merge 2 sessions' }).isVisible()).toBe(true);
    await page.getByLabel('Title of the new session').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => messageTexts()).toEqual(['Two', 'One']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('conversation-heading');
  }, SLOW);
});
