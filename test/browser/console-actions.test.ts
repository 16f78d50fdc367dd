import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

/** What is done to a session as a whole: delete, settings, export and import. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: session actions', () => {
  const c = useConsole();
  const { api, createSession, sessionById, rowTitles, messageTexts } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  it('deletes a session only once the dialog is confirmed', async () => {
    const id = await createSession('To be deleted', { messages: [{ role: 'USER', content: 'Short-lived' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Short-lived']);
    await page.getByRole('button', { name: 'Delete session' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete this session?' });
    await expect.poll(() => dialog.innerText()).toContain('“To be deleted” and its 1 message will be deleted');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await sessionById(id)).not.toBeNull();
    await page.getByRole('button', { name: 'Delete session' }).click();
    // Escape reaches the dialog only once it is open (showModal runs after the render).
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await sessionById(id)).not.toBeNull();
    await page.getByRole('button', { name: 'Delete session' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/');
    await expect.poll(rowTitles).not.toContain('To be deleted');
    expect(await sessionById(id)).toBeNull();
  }, SLOW);

  it('edits the settings, showing each problem the server reports at its field and saving nothing then', async () => {
    const id = await createSession('Before settings', { messages: [{ role: 'USER', content: 'Hi' }] });
    await api('mutation { upsertUser(input: { id: "soon-gone", name: "Soon gone" }) { __typename } }');
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Hi']);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Session settings' });
    await dialog.getByLabel('Title').fill('x'.repeat(501));
    const deep = JSON.stringify({ a: { a: { a: { a: { a: { a: { a: { a: { a: { a: 1 } } } } } } } } } });
    await dialog.getByLabel('Metadata (a JSON object)').fill(deep);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#settings-title-problems').innerText().catch(() => '')).toContain('at most 500');
    expect(await dialog.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#settings-metadata-problems').innerText()).toMatch(/metadata\.a\.a/);
    expect(await sessionById(id)).toEqual({ title: 'Before settings', messageCount: 1 });
    // A problem only the server can know of, at its field too: the persona picked is deleted meanwhile.
    await dialog.getByLabel('Title').fill('After settings');
    await dialog.getByLabel('Metadata (a JSON object)').fill('{"topic": "trains"}');
    await dialog.getByLabel('Persona (a user profile)').selectOption({ label: 'Soon gone (soon-gone)' });
    await api('mutation { deleteUser(id: "soon-gone") { __typename } }');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#settings-personaId-problems').innerText().catch(() => '')).toContain('No user profile has this id');
    expect(await page.locator('#settings-title-problems').count()).toBe(0);
    await dialog.getByLabel('Persona (a user profile)').selectOption({ label: 'None' });
    await dialog.getByLabel('System prompt').fill('You answer in haiku.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByRole('heading', { name: 'After settings' }).count()).toBe(1);
    await expect.poll(() => page.locator('.system-prompt .content').innerText()).toBe('You answer in haiku.');
    await expect.poll(rowTitles).toContain('After settings');
    const stored = await api<{ session: { title: string; systemPrompt: string; metadata: unknown } }>('query($id: ID!) { session(id: $id) { title systemPrompt metadata } }', { id });
    expect(stored.session).toEqual({ title: 'After settings', systemPrompt: 'You answer in haiku.', metadata: { topic: 'trains' } });
  }, SLOW);

  it('exports a session as a Parley document download, and imports it back with the file picker', async () => {
    const id = await createSession('Round trip', { systemPrompt: 'Be kind.', messages: [{ role: 'USER', content: 'Keep me' }, { role: 'ASSISTANT', content: 'Kept' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Keep me', 'Kept']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe(`${id}.parley.json`);
    const file = join(mkdtempSync(join(tmpdir(), 'parley-export-')), download.suggestedFilename());
    await download.saveAs(file);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { format: string; session: { title: string }; messages: { content: string }[] };
    expect(document.format).toBe('parley.session');
    expect(document.messages.map((m) => m.content)).toEqual(['Keep me', 'Kept']);
    // Restored from the file after the session is gone (an admin's import keeps the document's id).
    await api('mutation($id: ID!) { deleteSession(id: $id) { __typename } }', { id });
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).not.toContain('Round trip');
    await page.getByLabel('Import a session file (or drop one on the list)').setInputFiles(file);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Keep me', 'Kept']);
    expect(await page.locator('.system-prompt .content').innerText()).toBe('Be kind.');
    await expect.poll(rowTitles).toContain('Round trip');
  }, SLOW);

  it('lists the problems of an invalid file dropped on the list, each at its path, and imports nothing', async () => {
    await page.goto(`${origin}/console`);
    await expect.poll(() => page.locator('.count').innerText()).toMatch(/ of \d+/);
    const before = (await api<{ sessions: { totalCount: number } }>('{ sessions { ... on SessionConnection { totalCount } } }')).sessions.totalCount;
    const invalid = JSON.stringify({ format: 'parley.session', version: 1, session: { title: 'Broken' }, messages: [{ role: 'USER', content: 'Fine' }, { role: 'ROBOT', content: 'Not a role' }] });
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'broken.json', { type: 'application/json' }));
      return data;
    }, invalid);
    await page.locator('.sessions').dispatchEvent('dragover', { dataTransfer: transfer });
    await page.locator('.sessions').dispatchEvent('drop', { dataTransfer: transfer });
    const problems = page.getByRole('alert').filter({ hasText: 'broken.json was not imported' });
    await expect.poll(() => problems.innerText().catch(() => '')).toMatch(/messages\.1\.role/);
    expect(await page.evaluate(() => location.hash)).toBe('');
    const after = (await api<{ sessions: { totalCount: number } }>('{ sessions { ... on SessionConnection { totalCount } } }')).sessions.totalCount;
    expect(after).toBe(before);
    // Not JSON at all: said so, with the file's name.
    await page.getByLabel('Import a session file (or drop one on the list)').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just words') });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'notes.txt is not JSON' }).count()).toBe(1);
  }, SLOW);
});
