import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, LONG, SLOW, useConsole } from './console-app.js';

/** Talking to the echo model: a streamed reply, Stop, a second tab, a reload, Regenerate, edit and retry. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: talking', () => {
  const c = useConsole();
  const { createSession, sessionById, messageTexts, streaming } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  it('sends a message with Enter and shows the echo reply streaming, then stored', async () => {
    const id = await createSession('Talk', { systemPrompt: 'You are a patient travel guide.' });
    await page.goto(`${origin}/console#/sessions/${id}`);
    const composer = page.getByLabel('Message', { exact: true });
    await composer.fill('Hello! Which tram goes up to the castle?');
    await composer.press('Enter');
    await expect.poll(async () => (await messageTexts())[0]).toBe('Hello! Which tram goes up to the castle?');
    // Seen part-way: the reply grows word by word before it is stored.
    await expect.poll(() => streaming().innerText(), { timeout: 10_000 }).toMatch(/^Echo: Hello/);
    await expect.poll(async () => (await messageTexts())[1], { timeout: 15_000 }).toBe('Echo: Hello! Which tram goes up to the castle?');
    expect(await streaming().count()).toBe(0);
    expect(await page.locator('.message-list .role-assistant').count()).toBe(1);
  }, SLOW);

  it('stops a reply in progress with Stop, keeping what was written as incomplete', async () => {
    const id = await createSession('Stopped');
    await page.goto(`${origin}/console#/sessions/${id}`);
    await page.getByLabel('Message', { exact: true }).fill(LONG);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => streaming().innerText(), { timeout: 10_000 }).toContain('word3');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('.message-list .role-assistant .incomplete').count(), { timeout: 10_000 }).toBe(1);
    const stored = (await messageTexts())[1]!;
    expect(stored).toMatch(/^Echo: word1 word2 word3/);
    expect(stored).not.toContain('word120');
    expect(await streaming().count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count()).toBe(1);
  }, SLOW);

  it('shows a reply streaming in a second tab on the same session, started from the first', async () => {
    const id = await createSession('Two tabs');
    const other = await c.context.newPage();
    await other.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => other.getByRole('heading', { name: 'Two tabs' }).count()).toBe(1);
    await page.goto(`${origin}/console#/sessions/${id}`);
    await page.getByLabel('Message', { exact: true }).fill(LONG);
    await page.getByLabel('Message', { exact: true }).press('Enter');
    // The second tab did not send it, and sees it streaming all the same, before it is stored.
    const elsewhere = other.locator('.streaming .content');
    await expect.poll(() => elsewhere.innerText().catch(() => ''), { timeout: 10_000 }).toMatch(/^Echo: word1 word2/);
    expect(await other.locator('.message-list .role-assistant').count()).toBe(0);
    await expect.poll(async () => (await other.locator('.message-list .content').allInnerTexts())[1], { timeout: 20_000 }).toBe(`Echo: ${LONG}`);
    expect(await elsewhere.count()).toBe(0);
  }, SLOW);

  it('shows the reply continuing after a reload mid-stream', async () => {
    const id = await createSession('Reloaded');
    await page.goto(`${origin}/console#/sessions/${id}`);
    await page.getByLabel('Message', { exact: true }).fill(LONG);
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await expect.poll(() => streaming().innerText(), { timeout: 10_000 }).toContain('word5');
    await page.reload();
    // From offset 0 again: everything so far, then live, until the stored message replaces it.
    await expect.poll(() => streaming().innerText(), { timeout: 10_000 }).toMatch(/^Echo: word1 word2 .*word\d+/);
    const before = (await streaming().innerText()).length;
    await expect.poll(async () => (await streaming().innerText().catch(() => '')).length > before || (await streaming().count()) === 0).toBe(true);
    await expect.poll(async () => (await messageTexts())[1], { timeout: 20_000 }).toBe(`Echo: ${LONG}`);
    expect(await page.locator('.message-list .incomplete').count()).toBe(0);
  }, SLOW);

  it('regenerates the last reply with startRun, streaming the new one after it', async () => {
    const id = await createSession('Again', { messages: [{ role: 'USER', content: 'Say it twice' }, { role: 'ASSISTANT', content: 'A first reply' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Say it twice', 'A first reply']);
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => streaming().innerText().catch(() => ''), { timeout: 10_000 }).toMatch(/^Echo: Say/);
    expect(await page.getByRole('button', { name: 'Regenerate' }).count()).toBe(0);
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toEqual(['Say it twice', 'A first reply', 'Echo: Say it twice']);
    expect(await sessionById(id)).toEqual({ title: 'Again', messageCount: 3 });
    await expect.poll(() => page.getByRole('button', { name: 'Regenerate' }).count()).toBe(1);
  }, SLOW);

  it('edits and retries a message: a copy up to the message before, its text in the composer, the original untouched', async () => {
    const messages = [
      { role: 'USER', content: 'First question' },
      { role: 'ASSISTANT', content: 'First answer' },
      { role: 'USER', content: 'Second question' },
      { role: 'ASSISTANT', content: 'Second answer' },
    ];
    const id = await createSession('Forked talk', { messages });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(messages.map((m) => m.content));
    await page.locator('.message-list li', { hasText: 'Second question' }).getByRole('button', { name: 'Edit and retry' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Forked talk (edited)' }).count()).toBe(1);
    expect(await page.evaluate(() => location.hash)).not.toBe(`#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['First question', 'First answer']);
    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.inputValue()).toBe('Second question');
    await composer.fill('Second question, put better');
    await composer.press('Enter');
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toEqual(['First question', 'First answer', 'Second question, put better', 'Echo: Second question, put better']);
    expect(await sessionById(id)).toEqual({ title: 'Forked talk', messageCount: 4 });
  }, SLOW);
});
