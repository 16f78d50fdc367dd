import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { buildConsole } from '../../console/build.js';
import { createEchoProvider } from '../../providers/echo/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { launchChromium } from './chromium.js';

export { chromiumPresent } from './chromium.js';
export const SLOW = 120_000;
/** Enough words that the echo reply (one word per 50 ms) is still streaming when the test acts. */
export const LONG = Array.from({ length: 120 }, (_, i) => `word${i + 1}`).join(' ');

/**
 * Where a picture of the README goes: docs/<name> with SCREENSHOTS=1, so that the README's
 * pictures change only on purpose; a temporary folder otherwise.
 */
export const screenshotPath = (name: string) =>
  process.env['SCREENSHOTS'] === '1' ? new URL(`../../docs/${name}`, import.meta.url).pathname : join(tmpdir(), `parley-${name}`);

/** What axe-core finds wrong on the page as it is now (WCAG 2.1 A and AA, and axe's best practices). */
export async function accessibilityProblems(target: Page) {
  // Evaluated through the DevTools protocol: the console's Content-Security-Policy refuses inline scripts.
  await target.evaluate(axe.source);
  return target.evaluate(async () => {
    const { axe: run } = window as unknown as { axe: typeof axe };
    const result = await run.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * A clock that never gives the same millisecond twice, for a Parley of a console suite: the suites
 * expect writes made one after the other to be listed newest first, and two made in one
 * millisecond would be ordered by their random ids.
 */
export function strictClock(): () => Date {
  let last = 0;
  return () => new Date((last = Math.max(Date.now(), last + 1)));
}

/**
 * The set-up every console suite shares, registered in the calling `describe`: the console bundled
 * into a folder of the suite's own (no earlier `npm run build` needed), a Parley with the echo
 * provider over a fresh in-memory storage, Chromium, and a new browser context and page per test.
 * The getters give the current ones; the helpers call the suite's Parley as an API client would.
 */
export function useConsole() {
  let app: App | undefined;
  let browser: Browser | undefined;
  let origin = '';
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const storage = createMemoryStorage();
  const consoleDir = mkdtempSync(join(tmpdir(), 'parley-console-'));
  const now = strictClock();
  /** A Parley over the suite's storage (a new one after a restart sees what the old one stored). */
  const parley = () => createApp({ storage, config: { ...TEST_CONFIG, console: true }, provider: createEchoProvider({ delayMs: 50 }), consoleDir, now });

  beforeAll(async () => {
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
    await context?.close();
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

  const sessionById = (id: string) =>
    api<{ session: { title: string; messageCount: number } | null }>('query($id: ID!) { session(id: $id) { title messageCount } }', { id }).then((d) => d.session);

  return {
    get page() {
      return page!;
    },
    get context() {
      return context!;
    },
    get origin() {
      return origin;
    },
    get app() {
      return app!;
    },
    /** Puts another Parley in the suite's place (the one afterAll stops). */
    set app(next: App) {
      app = next;
    },
    consoleDir,
    parley,
    api,
    createSession,
    append,
    sessionById,
    rowTitles: () => page!.locator('.session-row .title').allInnerTexts(),
    messageTexts: () => page!.locator('.message-list .content').allInnerTexts(),
    streaming: () => page!.locator('.streaming .content'),
    accessibilityProblems: (target: Page = page!) => accessibilityProblems(target),
  };
}
