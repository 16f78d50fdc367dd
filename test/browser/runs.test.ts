import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createEchoProvider } from '../../providers/echo/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, launchChromium, SLOW, readmeOperation, responseText, runOperation } from './helpers.js';

// The echo provider's reply to the README's Talk, one DELTA a word, then the END.
const REPLY = 'Echo: Tell me a long story about Lisbon trams';
const DELTAS = REPLY.split(' ').length;
const END_OFFSET = DELTAS + 1;
// 1.5 s a word: the reply streams for about 13 s, time enough on a loaded machine to open a
// second tab, see it stream, reload it and run it again (or cancel it) before it ends.
const DELAY_MS = 1500;

type Shown = { offset: number; type: string; text: string };

/** What the result pane shows of a runEvents event: its offset and type (and the pane's text), if it shows one. */
async function shownEvent(page: Page): Promise<Shown | undefined> {
  const text = await responseText(page).catch(() => '');
  const offset = /"offset": (\d+)/.exec(text);
  const type = /"type": "(\w+)"/.exec(text);
  return offset && type ? { offset: Number(offset[1]), type: type[1]!, text } : undefined;
}

/**
 * Watches the result pane until `done` holds for what it shows, and gives the offsets it showed,
 * in order, each once (the pane shows the latest event only). Fails after `timeout` ms.
 */
async function watchEvents(page: Page, done: (shown: Shown, offsets: number[]) => boolean, timeout = 30_000) {
  const offsets: number[] = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const shown = await shownEvent(page);
    if (shown && offsets.at(-1) !== shown.offset) offsets.push(shown.offset);
    if (shown && done(shown, offsets)) return { offsets, last: shown };
    if (Date.now() > deadline) throw new Error(`the result pane did not show what was awaited in ${timeout} ms; it showed offsets ${offsets.join(', ')}, now:\n${shown?.text ?? (await responseText(page).catch(() => ''))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Records, in the page, the raw body of every runEvents request GraphiQL makes (to check for gaps and repeats). */
function recordRunEventStreams() {
  const streams: string[] = [];
  (window as unknown as { runEventStreams: string[] }).runEventStreams = streams;
  const fetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === 'string' ? init.body : '';
    if (!decodeURIComponent(url + body).includes('runEvents') || !response.body) return response;
    const index = streams.push('') - 1;
    const reader = response.clone().body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) streams[index] += chunk.value;
    })().catch(() => undefined);
    return response;
  };
}

/** The offsets of the events each runEvents request of the page has received so far. */
const receivedOffsets = (page: Page) =>
  page
    .evaluate(() => (window as unknown as { runEventStreams: string[] }).runEventStreams)
    .then((streams) => streams.map((raw) => [...raw.matchAll(/"offset":(\d+)/g)].map((m) => Number(m[1]))));

describe.runIf(chromiumPresent())('runs in GraphiQL in Chromium (the echo provider)', () => {
  let browser: Browser | undefined;
  let app: App | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  }, SLOW);

  afterEach(async () => {
    try {
      await context?.close();
    } finally {
      await app?.stop();
      context = undefined;
      app = undefined;
    }
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
  }, SLOW);

  /** A fresh app with GraphiQL and the echo provider, and a browser context (its tabs share GraphiQL's saved tabs, as a browser's do). */
  async function start() {
    app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, graphiql: true }, provider: createEchoProvider({ delayMs: DELAY_MS }) });
    const url = await app.start(0);
    context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await context.addInitScript(recordRunEventStreams);
    return url;
  }

  async function openTab(url: string) {
    const page = await context!.newPage();
    await page.goto(url);
    return page;
  }

  /** The README's Talk, as written, in a tab of its own; gives the run's id, read from the result pane. */
  async function talk(url: string) {
    const page = await openTab(url);
    await runOperation(page, readmeOperation('mutation Talk'), 'Talk');
    await expect.poll(() => responseText(page), { timeout: 30_000 }).toMatch(/"run": \{\s*"id": "[^"]+"/);
    const shown = await responseText(page);
    expect(shown).toContain('"id": "chat"');
    expect(shown).toContain('"seq": 1');
    expect(shown).not.toContain('"message"');
    return /"run": \{\s*"id": "([^"]+)"/.exec(shown)![1]!;
  }

  const follow = (runId: string, afterOffset: number) => {
    const readme = readmeOperation('subscription Follow');
    expect(readme).toContain('runEvents(runId: "RUN_ID", afterOffset: 0)');
    return readme.replace('RUN_ID', runId).replace('afterOffset: 0', `afterOffset: ${afterOffset}`);
  };

  const screenshot = (page: Page, name: string) => page.screenshot({ path: join(tmpdir(), `parley-graphiql-${name}.png`) }).catch(() => undefined);

  it("follows the README's Talk in a second tab, reloaded mid-reply and run again from the last offset it showed", async () => {
    const url = await start();
    const runId = await talk(url);

    const second = await openTab(url);
    const requested: string[] = [];
    second.on('request', (request) => {
      // Not the reload itself: GraphiQL keeps the operation in the page's address.
      if (request.resourceType() === 'document') return;
      const sent = decodeURIComponent(request.url().replace(/\+/g, ' '));
      if (sent.includes('runEvents')) requested.push(`${request.method()} ${request.headers()['accept']} afterOffset ${/afterOffset: ?(\d+)/.exec(sent)?.[1]}`);
    });
    try {
      await runOperation(second, follow(runId, 0), 'Follow');
      // DELTA events stream in: the pane shows the latest one, and its offset goes up.
      const first = await watchEvents(second, (shown, offsets) => shown.type === 'END' || offsets.length >= 2);
      expect(first.last.type, `the run ended before the reload (offsets shown: ${first.offsets.join(', ')})`).toBe('DELTA');
      expect(first.offsets).toEqual([...first.offsets].sort((a, b) => a - b));
      const lastShown = first.last.offset;
      expect(lastShown).toBeLessThan(END_OFFSET);
      // afterOffset 0 replayed what had streamed before the tab subscribed, from offset 1.
      const upToLastShown = Array.from({ length: lastShown }, (_, i) => i + 1);
      await expect.poll(async () => (await receivedOffsets(second))[0]?.slice(0, lastShown), { timeout: 10_000 }).toEqual(upToLastShown);

      // Reloaded mid-reply; GraphiQL keeps its tab, and the user sets afterOffset to the last offset shown.
      await second.reload();
      // GraphiQL does not keep a tab's response over a reload; were it to, that is not the new stream.
      await second.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 30_000 });
      const stale = await shownEvent(second);
      await runOperation(second, follow(runId, lastShown), 'Follow');
      const then = await watchEvents(second, (shown) => shown.type === 'END' && shown.text !== stale?.text);
      expect(then.offsets.filter((offset) => offset !== stale?.offset).every((offset) => offset > lastShown), `offsets shown after the reload: ${then.offsets.join(', ')}`).toBe(true);
      expect(then.last.offset).toBe(END_OFFSET);
      expect(then.last.text).toContain('"status": "SUCCEEDED"');
      expect(then.last.text).toContain(`"content": "${REPLY}"`);
      expect(requested).toEqual(['GET text/event-stream afterOffset 0', `GET text/event-stream afterOffset ${lastShown}`]);

      // What the page received after the reload: the events after lastShown, each once, no gap.
      await expect.poll(() => receivedOffsets(second), { timeout: 10_000 }).toEqual([Array.from({ length: END_OFFSET - lastShown }, (_, i) => lastShown + 1 + i)]);
    } finally {
      await screenshot(second, 'run-follow');
    }
  }, SLOW);

  it("cancels the run from a third tab with the README's Stop: the second tab's stream ends with an END whose run is CANCELLED", async () => {
    const url = await start();
    const runId = await talk(url);
    const second = await openTab(url);
    let third: Page | undefined;
    try {
      await runOperation(second, follow(runId, 0), 'Follow');
      const streaming = await watchEvents(second, (shown, offsets) => shown.type === 'END' || offsets.length >= 2);
      expect(streaming.last.type, `the run ended before Stop (offsets shown: ${streaming.offsets.join(', ')})`).toBe('DELTA');

      third = await openTab(url);
      const stop = readmeOperation('mutation Stop');
      expect(stop).toContain('cancelRun(id: "RUN_ID")');
      await runOperation(third, stop.replace('RUN_ID', runId), 'Stop');
      const clicked = Date.now();
      await expect.poll(() => responseText(third!), { timeout: 30_000 }).toMatch(/"status": "\w+"/);
      const stopped = await responseText(third);
      expect(stopped).toContain('"status": "CANCELLED"');
      expect(stopped).toMatch(/"endedAt": "[^"]+"/);
      expect(stopped).not.toContain('"message"');

      const ended = await watchEvents(second, (shown) => shown.type === 'END');
      const tookMs = Date.now() - clicked;
      expect(ended.last.text).toContain('"status": "CANCELLED"');
      // It stopped early, and kept what it had streamed as an (incomplete) message.
      expect(ended.last.offset).toBeLessThan(END_OFFSET);
      expect(ended.last.text).toMatch(/"content": "Echo: [^"]*"/);
      expect(ended.last.text).not.toContain(`"content": "${REPLY}"`);
      // The README says within a second; the bound leaves room for a slow machine's browser.
      expect(tookMs, `the END showed ${tookMs} ms after Stop was clicked`).toBeLessThan(10_000);
      await expect.poll(() => receivedOffsets(second), { timeout: 10_000 }).toEqual([Array.from({ length: ended.last.offset }, (_, i) => i + 1)]);
    } finally {
      await screenshot(second, 'run-cancelled');
      if (third) await screenshot(third, 'run-stop');
    }
  }, SLOW);
});
