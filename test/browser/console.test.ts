import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { buildConsole } from '../../console/build.js';
import { createEchoProvider } from '../../providers/echo/index.js';
import { createEventBus, type EventBus, type Listener } from '../../src/live/bus.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, launchChromium } from './chromium.js';

const SLOW = 120_000;
/** SCREENSHOTS=1 rewrites the README's picture; otherwise it goes to a temporary folder. */
const SCREENSHOT = process.env['SCREENSHOTS'] === '1' ? new URL('../../docs/console.png', import.meta.url).pathname : join(tmpdir(), 'parley-console.png');
/** Enough words that the echo reply (one word per 50 ms) is still streaming when the test acts. */
const LONG = Array.from({ length: 120 }, (_, i) => `word${i + 1}`).join(' ');

describe.runIf(chromiumPresent('The Parley Console in Chromium'))('The Parley Console in Chromium', () => {
  let app: App | undefined;
  let browser: Browser | undefined;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  const storage = createMemoryStorage();
  const consoleDir = mkdtempSync(join(tmpdir(), 'parley-console-'));
  const parley = () => createApp({ storage, config: { ...TEST_CONFIG, console: true }, provider: createEchoProvider({ delayMs: 50 }), consoleDir });

  beforeAll(async () => {
    // Built from source into a folder of the test's own: the suite needs no earlier `npm run build`.
    await buildConsole(consoleDir);
    app = parley();
    origin = new URL(await app.start(0)).origin;
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await app?.stop();
    }
  }, SLOW);

  beforeEach(async () => {
    context = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  async function api<T = Record<string, Record<string, unknown>>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  }

  async function createSession(title: string, extra: Record<string, unknown> = {}): Promise<string> {
    const data = await api<{ createSession: { id: string } }>(
      'mutation($input: CreateSessionInput!) { createSession(input: $input) { ... on Session { id } ... on Error { message } } }',
      { input: { title, ...extra } },
    );
    return data.createSession.id;
  }

  const append = (sessionId: string, content: string) =>
    api('mutation($id: ID!, $c: String!) { appendMessage(sessionId: $id, message: { role: USER, content: $c }) { __typename } }', { id: sessionId, c: content });

  const rowTitles = () => page.locator('.session-row .title').allInnerTexts();
  const messageTexts = () => page.locator('.message-list .content').allInnerTexts();
  const streaming = () => page.locator('.streaming .content');

  it('lists the sessions with their count, and filters them by title', async () => {
    // The first test on this server: no other session has these titles.
    for (const title of ['Lisbon trip', 'Porto weekend', 'Lisbon retry']) await createSession(title, { messages: [{ role: 'USER', content: `Plans for the ${title.toLowerCase()}` }] });
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).toEqual(['Lisbon retry', 'Porto weekend', 'Lisbon trip']);
    await expect.poll(() => page.locator('.session-row .preview').allInnerTexts()).toContain('Plans for the porto weekend');
    expect(await page.locator('.count').innerText()).toBe('3 of 3');
    await page.getByLabel('Filter by title').fill('lisbon');
    await expect.poll(rowTitles).toEqual(['Lisbon retry', 'Lisbon trip']);
    await expect.poll(() => page.locator('.count').innerText()).toBe('2 of 2');
  }, SLOW);

  it('pages with "Load more" by cursor, each session once', async () => {
    for (let i = 1; i <= 25; i++) await createSession(`Paged ${String(i).padStart(2, '0')}`);
    await page.goto(`${origin}/console`);
    await page.getByLabel('Filter by title').fill('Paged');
    await expect.poll(() => page.locator('.count').innerText()).toBe('20 of 25');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => page.locator('.count').innerText()).toBe('25 of 25');
    const titles = await rowTitles();
    expect(titles).toEqual(Array.from({ length: 25 }, (_, i) => `Paged ${String(25 - i).padStart(2, '0')}`));
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  }, SLOW);

  it('shows a session created by another client at once, moves it up when it changes, and drops it when deleted', async () => {
    await createSession('Older session');
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).toContain('Older session');
    const id = await createSession('Arrived live');
    await expect.poll(async () => (await rowTitles())[0]).toBe('Arrived live');
    const older = (await api<{ sessions: { edges: { node: { id: string; title: string } }[] } }>('{ sessions(first: 100) { ... on SessionConnection { edges { node { id title } } } } }')).sessions.edges.find(
      (e) => e.node.title === 'Older session',
    )!.node.id;
    await append(older, 'News');
    await expect.poll(async () => (await rowTitles())[0]).toBe('Older session');
    await api('mutation($id: ID!) { deleteSession(id: $id) { __typename } }', { id });
    await expect.poll(rowTitles).not.toContain('Arrived live');
  }, SLOW);

  it('opens a conversation at its latest page with the system prompt, loads older pages, and shows a message appended elsewhere', async () => {
    const messages = Array.from({ length: 45 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `Message ${i + 1}` }));
    const id = await createSession('Long talk', { systemPrompt: 'You are brief.', messages });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Long talk' }).count()).toBe(1);
    await expect.poll(async () => (await messageTexts()).at(-1)).toBe('Message 45');
    expect((await messageTexts())[0]).toBe('Message 16');
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await expect.poll(async () => (await messageTexts())[0]).toBe('Message 1');
    await expect.poll(() => page.locator('.system-prompt .content').innerText()).toBe('You are brief.');
    expect(await page.locator('.message-list .role-user').count()).toBe(23);
    await append(id, 'Appended by another client');
    await expect.poll(async () => (await messageTexts()).at(-1)).toBe('Appended by another client');
  }, SLOW);

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
    await page.screenshot({ path: SCREENSHOT });
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
    const other = await context.newPage();
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

  it('resumes after the server restarts: the messages and sessions written meanwhile appear, each once', async () => {
    const id = await createSession('Restarted', { messages: [{ role: 'USER', content: 'Before the restart' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Before the restart']);
    await expect.poll(() => page.locator('.connection').innerText()).toBe('Live');
    await app!.stop();
    await expect.poll(() => page.locator('.connection').innerText()).toMatch(/Offline|Connecting/);
    // Written while no server listens (through the next one's yoga.fetch, before it listens).
    const next = parley();
    const write = async (query: string, variables: Record<string, unknown>) => {
      const response = await next.yoga.fetch('http://parley.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    };
    await write('mutation($id: ID!) { appendMessage(sessionId: $id, message: { role: ASSISTANT, content: "While away" }) { __typename } }', { id });
    await write('mutation { createSession(input: { title: "Created while away" }) { __typename } }', {});
    app = next;
    await app.start(Number(new URL(origin).port));
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toEqual(['Before the restart', 'While away']);
    await expect.poll(rowTitles, { timeout: 15_000 }).toContain('Created while away');
    await append(id, 'After the restart');
    await expect.poll(() => messageTexts()).toEqual(['Before the restart', 'While away', 'After the restart']);
  }, SLOW);

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

  const sessionById = (id: string) =>
    api<{ session: { title: string; messageCount: number } | null }>('query($id: ID!) { session(id: $id) { title messageCount } }', { id }).then((d) => d.session);

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

  it('edits the settings, showing each problem the server reports at its field and saving nothing then', async () => {
    const id = await createSession('Before settings', { messages: [{ role: 'USER', content: 'Hi' }] });
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
    // A problem only the server can know of, at its field too.
    await dialog.getByLabel('Title').fill('After settings');
    await dialog.getByLabel('Metadata (a JSON object)').fill('{"topic": "trains"}');
    await dialog.getByLabel('Persona (a user id)').fill('nobody-has-this-id');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#settings-personaId-problems').innerText().catch(() => '')).toContain('No user profile has this id');
    expect(await page.locator('#settings-title-problems').count()).toBe(0);
    await dialog.getByLabel('Persona (a user id)').fill('');
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

  it('filters by owner, metadata and dates, orders by creation or change, and keeps live sessions to the filter', async () => {
    const doc = (title: string, ownerId: string, metadata: Record<string, unknown>, createdAt: string, updatedAt: string) => ({
      format: 'parley.session',
      version: 1,
      exportedAt: updatedAt,
      session: { id: randomUUID(), ownerId, title, model: null, systemPrompt: null, context: {}, metadata, createdAt, updatedAt, version: 1, forkedFrom: null, mergedFrom: [], summary: null, summarizedUpToSeq: null },
      messages: [],
    });
    const documents = [
      doc('Filter A', 'team-a', { topic: 'rail', tags: ['eu'] }, '2021-03-01T10:00:00Z', '2021-03-02T10:00:00Z'),
      doc('Filter B', 'team-b', { topic: 'rail' }, '2022-06-01T10:00:00Z', '2024-01-01T10:00:00Z'),
      doc('Filter C', 'team-a', { topic: 'sea' }, '2023-09-01T10:00:00Z', '2023-09-02T10:00:00Z'),
    ];
    for (const document of documents) {
      const data = await api<{ importSession: { __typename: string } }>('mutation($d: JSON!) { importSession(document: $d) { __typename ... on ValidationError { problems { path message } } } }', { d: document });
      expect(data.importSession).toEqual({ __typename: 'Session' });
    }
    await page.goto(`${origin}/console`);
    await page.getByLabel('Filter by title').fill('Filter ');
    await expect.poll(rowTitles).toEqual(['Filter B', 'Filter C', 'Filter A']);
    await page.getByText('More filters and order').click();
    await page.getByLabel('Owner id').fill('team-a');
    await expect.poll(rowTitles).toEqual(['Filter C', 'Filter A']);
    // Live: a session of another owner stays out, one of this owner comes in.
    await createSession('Filter D elsewhere', { ownerId: 'team-b' });
    await createSession('Filter E here', { ownerId: 'team-a' });
    await expect.poll(rowTitles).toEqual(['Filter E here', 'Filter C', 'Filter A']);
    await expect.poll(() => page.locator('.count').innerText()).toBe('3 of 3');
    await page.getByLabel('Owner id').fill('');
    await page.getByLabel('Metadata (key=value, …)').fill('topic=rail');
    await expect.poll(rowTitles).toEqual(['Filter B', 'Filter A']);
    await page.getByLabel('Metadata (key=value, …)').fill('tags=eu');
    await expect.poll(rowTitles).toEqual(['Filter A']);
    await page.getByLabel('Metadata (key=value, …)').fill('tags');
    await expect.poll(() => page.locator('#filter-metadata-problem').innerText().catch(() => '')).toBe('"tags" is not key=value');
    await page.getByLabel('Metadata (key=value, …)').fill('');
    await page.getByLabel('Created from').fill('2022-01-01');
    await page.getByLabel('Created until').fill('2023-12-31');
    await expect.poll(rowTitles).toEqual(['Filter B', 'Filter C']);
    await page.getByLabel('Created until').fill('');
    await page.getByLabel('Created from').fill('');
    await page.getByLabel('Changed until').fill('2023-12-31');
    await expect.poll(rowTitles).toEqual(['Filter C', 'Filter A']);
    await page.getByLabel('Changed until').fill('');
    await page.getByLabel('Order').selectOption('CREATED_AT ASC');
    await expect.poll(rowTitles).toEqual(['Filter A', 'Filter B', 'Filter C', 'Filter D elsewhere', 'Filter E here']);
    // In creation order a new session goes last, and a change does not move one.
    await createSession('Filter F newest');
    const filterA = await api<{ sessions: { edges: { node: { id: string } }[] } }>('{ sessions(filter: { titleContains: "Filter A" }) { ... on SessionConnection { edges { node { id } } } } }');
    await append(filterA.sessions.edges[0]!.node.id, 'A change');
    await expect.poll(rowTitles).toEqual(['Filter A', 'Filter B', 'Filter C', 'Filter D elsewhere', 'Filter E here', 'Filter F newest']);
    await page.getByLabel('Order').selectOption('CREATED_AT DESC');
    await expect.poll(rowTitles).toEqual(['Filter F newest', 'Filter E here', 'Filter D elsewhere', 'Filter C', 'Filter B', 'Filter A']);
  }, SLOW);

  /** What axe-core finds wrong on the page as it is now (WCAG 2.1 A and AA, and axe's best practices). */
  async function accessibilityProblems(target: Page = page) {
    // Evaluated through the DevTools protocol: the console's Content-Security-Policy refuses inline scripts.
    await target.evaluate(axe.source);
    return target.evaluate(async () => {
      const { axe: run } = window as unknown as { axe: typeof axe };
      const result = await run.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
  }

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

  it('scrolls up through 500 messages: older pages come in by themselves, nothing jumps, each message once', async () => {
    const messages = Array.from({ length: 500 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `Line ${i + 1}` }));
    const id = await createSession('Five hundred', { messages });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(async () => (await messageTexts()).at(-1)).toBe('Line 500');
    const scroller = page.getByRole('log', { name: 'Conversation' });
    /** The oldest message shown, and where it is in the view. */
    const oldest = () =>
      scroller.evaluate((el) => {
        const first = el.querySelector('.message-list li')!;
        return { seq: Number(first.getAttribute('data-seq')), top: first.getBoundingClientRect().top - el.getBoundingClientRect().top };
      });
    const position = (seq: number) =>
      scroller.evaluate((el, n) => el.querySelector(`.message-list li[data-seq="${n}"]`)!.getBoundingClientRect().top - el.getBoundingClientRect().top, seq);
    for (let pages = 0; pages < 40 && (await oldest()).seq > 1; pages++) {
      // Scrolled to the top as a reader would; where the oldest message then is, measured at once.
      const before = await scroller.evaluate((el) => {
        el.scrollTop = 0;
        const first = el.querySelector('.message-list li')!;
        return { seq: Number(first.getAttribute('data-seq')), top: first.getBoundingClientRect().top - el.getBoundingClientRect().top };
      });
      await expect.poll(async () => (await oldest()).seq, { timeout: 10_000, message: 'the page before comes in' }).toBeLessThan(before.seq);
      expect(Math.abs((await position(before.seq)) - before.top), `message ${before.seq} stays where it was`).toBeLessThan(2);
    }
    const seqs = await page.locator('.message-list li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-seq'))));
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect((await messageTexts())[0]).toBe('Line 1');
  }, SLOW);

  it('reads the list and the open conversation again on RESYNC, showing what was written while events were lost', async () => {
    // An in-process bus that can lose events and then say RESYNC, as a Redis bus does after an outage.
    const inner = createEventBus();
    const listeners = new Set<Listener>();
    let lost = false;
    const events: EventBus = {
      publish: (event) => (lost ? undefined : inner.publish(event)),
      async subscribe(topic, listener) {
        const own: Listener = (event) => listener(event);
        listeners.add(own);
        const off = await inner.subscribe(topic, own);
        return () => (listeners.delete(own), off());
      },
      listenerCount: () => inner.listenerCount(),
      isUp: () => inner.isUp(),
      close: () => inner.close(),
    };
    const flaky = createApp({ storage: createMemoryStorage(), events, config: { ...TEST_CONFIG, console: true }, consoleDir });
    const url = await flaky.start(0);
    const call = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return ((await response.json()) as { data: Record<string, { id?: string }> }).data;
    };
    try {
      const id = (await call('mutation { createSession(input: { title: "Before the outage", messages: [{ role: USER, content: "Seen" }] }) { ... on Session { id } } }')).createSession!.id!;
      await page.goto(new URL(`/console#/sessions/${id}`, url).href);
      await expect.poll(() => messageTexts()).toEqual(['Seen']);
      await expect.poll(rowTitles).toEqual(['Before the outage']);
      // Both follow the session's changes live: a rename shows in the list and in the heading.
      await call('mutation($id: ID!) { updateSession(id: $id, input: { title: "Renamed live" }) { __typename } }', { id });
      await expect.poll(rowTitles).toEqual(['Renamed live']);
      await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Renamed live' }).count()).toBe(1);
      lost = true;
      await call('mutation($id: ID!) { updateSession(id: $id, input: { title: "Renamed in the outage" }) { __typename } }', { id });
      await call('mutation($id: ID!) { appendMessage(sessionId: $id, message: { role: ASSISTANT, content: "Written in the outage" }) { __typename } }', { id });
      await call('mutation { createSession(input: { title: "Made in the outage" }) { __typename } }');
      lost = false;
      for (const listener of [...listeners]) listener({ type: 'RESYNC' });
      await expect.poll(rowTitles).toEqual(['Made in the outage', 'Renamed in the outage']);
      await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Renamed in the outage' }).count()).toBe(1);
      await expect.poll(() => messageTexts()).toEqual(['Seen', 'Written in the outage']);
    } finally {
      await flaky.stop();
    }
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
