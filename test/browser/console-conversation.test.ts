import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createEventBus, type EventBus, type Listener } from '../../src/live/bus.js';
import { createApp } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, SLOW, strictClock, useConsole } from './console-app.js';

/** A conversation: its pages, older pages while scrolling up, and following it live through restarts and lost events. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: a conversation', () => {
  const c = useConsole();
  const { createSession, append, rowTitles, messageTexts, consoleDir } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  it('opens a conversation at its latest page with the system prompt, loads older pages, and shows a message appended elsewhere', async () => {
    const messages = Array.from({ length: 45 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `Message ${i + 1}` }));
    const id = await createSession('Long talk', { systemPrompt: 'You are brief.', messages });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Long talk' }).count()).toBe(1);
    await expect.poll(async () => (await messageTexts()).at(-1)).toBe('Message 45');
    expect((await messageTexts())[0]).toBe('Message 16');
    // From the keyboard, without scrolling to it: scrolled up to, the oldest message shown would
    // read the page before by itself, and the button, with no page left, would be gone before the
    // click (CI lost that race once).
    await page.getByRole('button', { name: 'Load older messages' }).evaluate((button: HTMLElement) => button.focus({ preventScroll: true }));
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await messageTexts())[0]).toBe('Message 1');
    await expect.poll(() => page.locator('.system-prompt .content').innerText()).toBe('You are brief.');
    expect(await page.locator('.message-list .role-user').count()).toBe(23);
    await append(id, 'Appended by another client');
    await expect.poll(async () => (await messageTexts()).at(-1)).toBe('Appended by another client');
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

  it('resumes after the server restarts: the messages and sessions written meanwhile appear, each once', async () => {
    const id = await createSession('Restarted', { messages: [{ role: 'USER', content: 'Before the restart' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Before the restart']);
    await expect.poll(() => page.locator('.connection').innerText()).toBe('Live');
    await c.app.stop();
    await expect.poll(() => page.locator('.connection').innerText()).toMatch(/Offline|Connecting/);
    // Written while no server listens (through the next one's yoga.fetch, before it listens).
    const next = c.parley();
    const write = async (query: string, variables: Record<string, unknown>) => {
      const response = await next.yoga.fetch('http://parley.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    };
    await write('mutation($id: ID!) { appendMessage(sessionId: $id, message: { role: ASSISTANT, content: "While away" }) { __typename } }', { id });
    await write('mutation { createSession(input: { title: "Created while away" }) { __typename } }', {});
    c.app = next;
    await next.start(Number(new URL(origin).port));
    await expect.poll(() => messageTexts(), { timeout: 15_000 }).toEqual(['Before the restart', 'While away']);
    await expect.poll(rowTitles, { timeout: 15_000 }).toContain('Created while away');
    await append(id, 'After the restart');
    await expect.poll(() => messageTexts()).toEqual(['Before the restart', 'While away', 'After the restart']);
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
    const flaky = createApp({ storage: createMemoryStorage(), events, config: { ...TEST_CONFIG, console: true }, consoleDir, now: strictClock() });
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
});
