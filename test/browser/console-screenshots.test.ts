import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, screenshotPath, SLOW, useConsole } from './console-app.js';

/**
 * The README's pictures of the console, each taken once the view shows what the picture is for.
 * They are written to docs/ only with SCREENSHOTS=1 (to a temporary folder otherwise), so they
 * change only on purpose.
 */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: its pictures', () => {
  const c = useConsole();
  const { api, createSession, append, rowTitles, messageTexts } = c;
  let page: Page;
  let origin: string;
  let lisbon: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  beforeAll(async () => {
    const users = [
      { id: 'ana', name: 'Ana Costa', profile: 'A retired teacher from Porto. Travels by train, asks for exact times and prices.' },
      { id: 'rui', name: 'Rui Almeida', profile: 'A student on a budget, short questions, many of them.' },
      { id: 'mei', name: 'Mei Tanaka', profile: 'Visiting Portugal for the first time; prefers answers in plain English.', metadata: { language: 'en' } },
    ];
    for (const input of users) await api('mutation($input: UpsertUserInput!) { upsertUser(input: $input) { __typename } }', { input });
    await createSession('Rail pass questions', { ownerId: 'rui', messages: [{ role: 'USER', content: 'Is the Interrail pass worth it for two weeks?' }, { role: 'ASSISTANT', content: 'For more than five long trips, usually yes.' }] });
    const porto = await createSession('Porto weekend', { ownerId: 'ana', messages: [{ role: 'USER', content: 'Where should I stay near São Bento station?' }] });
    lisbon = await createSession('Lisbon trip', { ownerId: 'ana', personaId: 'ana', systemPrompt: 'You are a patient travel guide.', messages: [{ role: 'USER', content: 'Which tram goes up to the castle?' }, { role: 'ASSISTANT', content: 'Tram 28 stops at Miradouro de Santa Luzia, a short walk below it.' }] });
    await append(porto, 'And is the train from Lisbon faster than the bus?');
  }, SLOW);

  it('pictures the session list and a conversation with a reply just streamed', async () => {
    await page.goto(`${origin}/console#/sessions/${lisbon}`);
    await expect.poll(() => messageTexts()).toHaveLength(2);
    const composer = page.getByLabel('Message', { exact: true });
    await composer.fill('And how early should I be there to get a seat?');
    await composer.press('Enter');
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toHaveLength(4);
    await expect.poll(rowTitles).toEqual(['Lisbon trip', 'Porto weekend', 'Rail pass questions']);
    expect(await page.locator('.conversation-head .persona').innerText()).toBe('Persona: Ana Costa');
    await composer.blur();
    await page.screenshot({ path: screenshotPath('console.png') });
  }, SLOW);

  it('pictures the merge dialog', async () => {
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).toHaveLength(3);
    await page.getByRole('checkbox', { name: 'Select Lisbon trip' }).check();
    await page.getByRole('checkbox', { name: 'Select Porto weekend' }).check();
    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge 2 sessions' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('radio', { name: 'By time' }).check();
    await dialog.getByLabel('Title of the new session').fill('Portugal by rail');
    expect(await page.locator('.sources .source-title').allInnerTexts()).toEqual(['Lisbon trip', 'Porto weekend']);
    await page.screenshot({ path: screenshotPath('console-merge.png') });
  }, SLOW);

  it('pictures the users view', async () => {
    await page.goto(`${origin}/console#/users`);
    await expect.poll(() => page.locator('.user-row h3').allInnerTexts()).toEqual(['Ana Costa', 'Mei Tanaka', 'Rui Almeida']);
    expect(await page.locator('.user-row', { hasText: 'Ana Costa' }).innerText()).toContain('ana · 2 sessions');
    await page.locator('.user-row', { hasText: 'Mei Tanaka' }).getByText('Metadata').click();
    await page.screenshot({ path: screenshotPath('console-users.png') });
  }, SLOW);

  it('pictures a conversation at 360 px, a phone’s width', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${origin}/console#/sessions/${lisbon}`);
    await expect.poll(async () => (await messageTexts()).slice(0, 2)).toEqual(['Which tram goes up to the castle?', 'Tram 28 stops at Miradouro de Santa Luzia, a short walk below it.']);
    expect(await page.locator('.sessions').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: screenshotPath('console-phone.png') });
  }, SLOW);
});
