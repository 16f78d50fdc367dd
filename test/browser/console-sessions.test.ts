import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

/** Its list: counts, filters, pages, order, and sessions arriving live. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: the session list', () => {
  const c = useConsole();
  const { api, createSession, append, rowTitles } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

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

  it('shows a session created while the list was starting its subscription, which no event announced', async () => {
    // The list's sessionEvents subscription is held on its way to the server, so that it starts
    // only after the list was read and after a session was created in between.
    let release = () => {};
    await page.routeWebSocket(/\/graphql/, (ws) => {
      const server = ws.connectToServer();
      const held: string[] = [];
      let holding = true;
      ws.onMessage((frame) => {
        if (holding && typeof frame === 'string' && frame.includes('"subscribe"') && frame.includes('sessionEvents')) return void held.push(frame);
        server.send(frame);
      });
      release = () => {
        holding = false;
        for (const frame of held.splice(0)) server.send(frame);
      };
    });
    await createSession('Listed before');
    await page.goto(`${origin}/console`);
    await expect.poll(rowTitles).toContain('Listed before');
    await createSession('Created meanwhile');
    release();
    await expect.poll(rowTitles).toContain('Created meanwhile');
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
});
