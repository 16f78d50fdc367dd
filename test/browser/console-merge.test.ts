import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, SLOW, strictClock, useConsole } from './console-app.js';

/** Merging the sessions selected in the list with mergeSessions, and every refusal of it. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: merging', () => {
  const c = useConsole();
  const { api, createSession, append, sessionById, rowTitles, messageTexts, accessibilityProblems, consoleDir } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  const select = (title: string) => page.getByRole('checkbox', { name: `Select ${title}` });
  const selectedCount = () => page.locator('.selected-count').innerText();
  const totalCount = async () => (await api<{ sessions: { totalCount: number } }>('{ sessions { ... on SessionConnection { totalCount } } }')).sessions.totalCount;
  const sourceTitles = () => page.locator('.sources .source-title').allInnerTexts();

  /**
   * Two sessions whose messages interleave in time: A1, B1, then A2, shown once the filter is
   * applied (a session the filter leaves out tells when it is).
   */
  async function twoSessions(prefix: string) {
    await createSession('Left out by the filter');
    const a = await createSession(`${prefix} A`, { messages: [{ role: 'USER', content: `${prefix} A1` }] });
    const b = await createSession(`${prefix} B`, { messages: [{ role: 'USER', content: `${prefix} B1` }] });
    await append(a, `${prefix} A2`);
    await page.goto(`${origin}/console`);
    await page.getByLabel('Filter by title').fill(prefix);
    await expect.poll(rowTitles).toEqual([`${prefix} A`, `${prefix} B`]);
    return { a, b };
  }

  it('merges two selected sessions by time into a new session, opens it, and leaves the sources as they were', async () => {
    const { a, b } = await twoSessions('Timed');
    expect(await selectedCount()).toBe('Select sessions to merge them');
    const merge = page.getByRole('button', { name: 'Merge…' });
    expect(await merge.isDisabled()).toBe(true);
    await select('Timed A').check();
    await expect.poll(selectedCount).toBe('1 selected');
    expect(await merge.isDisabled()).toBe(true);
    await select('Timed B').check();
    await expect.poll(selectedCount).toBe('2 selected');
    // Renamed elsewhere once selected: the selection has the new title.
    await api('mutation($id: ID!) { updateSession(id: $id, input: { title: "Timed B, renamed" }) { __typename } }', { id: b });
    await expect.poll(rowTitles).toEqual(['Timed B, renamed', 'Timed A']);
    await merge.click();
    const dialog = page.getByRole('dialog', { name: 'Merge 2 sessions' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await sourceTitles()).toEqual(['Timed A', 'Timed B, renamed']);
    // Escape keeps everything as it was, the selection too.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await selectedCount()).toBe('2 selected');
    await merge.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByLabel('Title of the new session').inputValue()).toBe('Timed A (merged)');
    await dialog.getByLabel('Title of the new session').fill('Timed, by time');
    await dialog.getByRole('radio', { name: 'By time' }).check();
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Timed, by time' }).count()).toBe(1);
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/sessions\/.+/);
    await expect.poll(() => messageTexts()).toEqual(['Timed A1', 'Timed B1', 'Timed A2']);
    await expect.poll(selectedCount).toBe('Select sessions to merge them');
    expect(await select('Timed A').isChecked()).toBe(false);
    expect(await sessionById(a)).toEqual({ title: 'Timed A', messageCount: 2 });
    expect(await sessionById(b)).toEqual({ title: 'Timed B, renamed', messageCount: 1 });
  }, SLOW);

  it('shows a selected session renamed when the list is read again, though the event of the rename never came', async () => {
    // The console hears of the rename only by reading the list (as when it changes while a filter
    // is being applied and the subscription is started again): every UPDATED event is held back.
    await page.routeWebSocket(/\/graphql/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('"UPDATED"')) return;
        ws.send(frame);
      });
    });
    const { b } = await twoSessions('Missed');
    await select('Missed A').check();
    await select('Missed B').check();
    await expect.poll(selectedCount).toBe('2 selected');
    await api('mutation($id: ID!) { updateSession(id: $id, input: { title: "Missed B, renamed" }) { __typename } }', { id: b });
    await page.getByLabel('Filter by title').fill('Misse');
    await expect.poll(rowTitles).toEqual(['Missed B, renamed', 'Missed A']);
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge 2 sessions' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await sourceTitles()).toEqual(['Missed A', 'Missed B, renamed']);
  }, SLOW);

  it('merges one session after the other in the order set in the dialog, by keyboard', async () => {
    await twoSessions('Ordered');
    await select('Ordered A').check();
    await select('Ordered B').check();
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge 2 sessions' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Move Ordered B up' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(sourceTitles).toEqual(['Ordered B', 'Ordered A']);
    // The focus stays with the session moved (on its other button, as it is now first).
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Ordered B down');
    expect(await dialog.getByRole('radio', { name: 'One session after the other' }).isChecked()).toBe(true);
    await dialog.getByLabel('Title of the new session').fill('Ordered: B then A');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Ordered: B then A' }).count()).toBe(1);
    await expect.poll(() => messageTexts()).toEqual(['Ordered B1', 'Ordered A1', 'Ordered A2']);
    await expect.poll(rowTitles).toEqual(['Ordered: B then A', 'Ordered A', 'Ordered B']);
  }, SLOW);

  it('shows why a merge is refused, at the field concerned, and merges nothing', async () => {
    const { a, b } = await twoSessions('Refused');
    const taken = await createSession('Refused elsewhere');
    await select('Refused A').check();
    await select('Refused B').check();
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge 2 sessions' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const before = await totalCount();
    const mergeButton = dialog.getByRole('button', { name: 'Merge', exact: true });
    // A title too long: a ValidationError, at the title.
    await dialog.getByLabel('Title of the new session').fill('x'.repeat(501));
    await mergeButton.click();
    await expect.poll(() => page.locator('#merge-title-problems').innerText().catch(() => '')).toContain('at most 500');
    expect(await dialog.getByLabel('Title of the new session').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('alert').innerText()).toContain('Nothing was merged');
    // An id in use: a ConflictError, at the id (an admin may choose one; AUTH_MODE=none is an admin).
    await dialog.getByLabel('Title of the new session').fill('Refused merge');
    await dialog.getByText('Owner and id (admins)').click();
    await dialog.getByLabel('Id of the new session (a random UUID when empty)').fill(taken);
    await mergeButton.click();
    await expect.poll(() => page.locator('#merge-newId-problems').innerText().catch(() => '')).toContain(taken);
    expect(await page.locator('#merge-title-problems').count()).toBe(0);
    expect(await accessibilityProblems(), 'the merge dialog with a problem').toEqual([]);
    // A source deleted by another client while the dialog is open: a NotFoundError, naming it.
    await dialog.getByLabel('Id of the new session (a random UUID when empty)').fill('');
    await api('mutation($id: ID!) { deleteSession(id: $id) { __typename } }', { id: b });
    await mergeButton.click();
    await expect.poll(() => page.locator('#merge-ids-problems').innerText().catch(() => '')).toBe('“Refused B” is not there any more (deleted, or not yours to see).');
    expect(await totalCount()).toBe(before - 1);
    expect(await sessionById(a)).toEqual({ title: 'Refused A', messageCount: 2 });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    // The deleted session left the list and the selection.
    await expect.poll(rowTitles).toEqual(['Refused elsewhere', 'Refused A']);
    expect(await page.locator('.selected-count').innerText()).toBe('1 selected');
  }, SLOW);

  it('says so when more sessions are selected than MAX_MERGE_SOURCES allows', async () => {
    const limited = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, console: true, limits: { ...TEST_CONFIG.limits, maxMergeSources: 2 } }, consoleDir, now: strictClock() });
    const url = await limited.start(0);
    try {
      for (const title of ['Many 1', 'Many 2', 'Many 3']) {
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation($t: String) { createSession(input: { title: $t }) { __typename } }', variables: { t: title } }) });
      }
      await page.goto(new URL('/console', url).href);
      await expect.poll(rowTitles).toEqual(['Many 3', 'Many 2', 'Many 1']);
      for (const title of ['Many 1', 'Many 2', 'Many 3']) await select(title).check();
      await page.getByRole('button', { name: 'Merge…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Merge 3 sessions' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
      await expect.poll(() => page.locator('#merge-ids-problems').innerText().catch(() => '')).toBe('3 sessions; at most 2 can be merged at once');
      expect(await rowTitles()).toEqual(['Many 3', 'Many 2', 'Many 1']);
    } finally {
      await limited.stop();
    }
  }, SLOW);
});
