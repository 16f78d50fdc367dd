import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export { chromiumPresent, launchChromium } from './chromium.js';
export const SLOW = 120_000;

/** An operation of the README, by the words it starts with. */
export function readmeOperation(start: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.split('```graphql\n').find((b) => b.startsWith(start));
  if (!block) throw new Error(`README.md has no \`${start}\` block`);
  return block.slice(0, block.indexOf('```'));
}

/** What a Monaco editor of GraphiQL shows, as plain text. */
export const editorText = (page: Page, pane: string) =>
  page.locator(`${pane} .view-lines`).first().innerText().then((text) => text.replace(/\u00a0/g, ' '));

/** What GraphiQL's result pane shows. */
export const responseText = (page: Page) => editorText(page, '.graphiql-response');

/**
 * Puts an operation in GraphiQL's editor, as a user would, and runs it once GraphiQL has parsed it.
 * `name` is the operation's name, which GraphiQL then shows as the tab's title.
 */
export async function runOperation(page: Page, operation: string, name: string) {
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  // Pasted, as a user would: typed keys would get Monaco's closing brackets added.
  await page.evaluate((text) => navigator.clipboard.writeText(text), operation);
  await page.keyboard.press('Control+V');
  await expect.poll(async () => (await editorText(page, '.graphiql-query-editor')).trimEnd(), { timeout: 30_000 }).toBe(operation.trimEnd());
  // GraphiQL parses the document a moment after an edit; until then it would run the welcome
  // document's operation name ("Cannot infer operation Start"). Its tab title says when it has:
  // the active tab's, since a reloaded page may restore other tabs (GraphiQL keeps them in
  // localStorage, which every tab of the origin shares).
  const title = async () => {
    const active = page.locator('.graphiql-tab.graphiql-tab-active');
    return (await active.count()) > 0 ? active.first().innerText() : page.locator('.graphiql-tab').first().innerText();
  };
  await expect.poll(title, { timeout: 30_000 }).toBe(name);
  await page.locator('.graphiql-execute-button').click();
}
