import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import { TEST_CONFIG } from '../api/client.js';
import { chromiumPresent, SLOW, useConsole } from './console-app.js';

type StoredUser = { id: string; name: string; profile: string | null; metadata: Record<string, unknown>; vector: number[] | null } | null;

/** The users view (#/users) and personas: upsertUser, deleteUser, and Session.persona in a conversation. */
describe.runIf(chromiumPresent())('The Parley Console in Chromium: users and personas', () => {
  const c = useConsole();
  const { api, createSession, messageTexts, consoleDir } = c;
  let page: Page;
  let origin: string;
  beforeEach(() => {
    page = c.page;
    origin = c.origin;
  });

  const upsert = (input: Record<string, unknown>) => api('mutation($input: UpsertUserInput!) { upsertUser(input: $input) { __typename } }', { input });
  const stored = async (id: string) => (await api<{ user: StoredUser }>('query($id: ID!) { user(id: $id) { id name profile metadata vector } }', { id })).user;
  const userNames = () => page.locator('.user-row h3').allInnerTexts();
  const count = () => page.locator('.users .count').innerText();

  it('lists the users by id page by page, and creates one, showing each problem at its field', async () => {
    for (let i = 1; i <= 22; i++) await upsert({ id: `user-${String(i).padStart(2, '0')}`, name: `User ${i}` });
    await page.goto(`${origin}/console`);
    await page.getByRole('navigation', { name: 'Parley' }).getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/users');
    await expect.poll(count).toBe('20 of 22');
    expect(await page.evaluate(() => document.activeElement?.id), 'the focus is on the view’s heading').toBe('users-heading');
    expect((await userNames()).slice(0, 2)).toEqual(['User 1', 'User 2']);
    expect(await page.locator('.user-row', { hasText: 'User 1' }).first().innerText()).toContain('user-01 · 0 sessions');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(count).toBe('22 of 22');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Not JSON: said at the field, before anything is sent.
    await dialog.getByLabel('Id').fill('ana');
    await dialog.getByLabel('Metadata (a JSON object)').fill('{city: Porto}');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('#user-metadata-problems').innerText().catch(() => '')).toMatch(/^Not a JSON object/);
    // No name and metadata too deep: the server's problems, each at its field, with its path.
    const deep = JSON.stringify({ a: { a: { a: { a: { a: { a: { a: { a: { a: { a: 1 } } } } } } } } } });
    await dialog.getByLabel('Metadata (a JSON object)').fill(deep);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('#user-name-problems').innerText().catch(() => '')).toContain('A name must not be empty');
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#user-metadata-problems').innerText()).toMatch(/^metadata\.a\.a/);
    await dialog.getByLabel('Metadata (a JSON object)').fill('{"city": "Porto"}');
    // An id in use: refused, as upsertUser would replace that user.
    await dialog.getByLabel('Id').fill('user-01');
    await dialog.getByLabel('Name').fill('Ana Costa');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('#user-id-problems').innerText().catch(() => '')).toContain('A user has this id already');
    expect(await stored('user-01')).toMatchObject({ name: 'User 1' });
    expect(await stored('ana')).toBeNull();
    await dialog.getByLabel('Id').fill('ana');
    await dialog.getByLabel('Profile').fill('A retired teacher from Porto who likes trains.');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Ana Costa was saved.' }).count()).toBe(1);
    await expect.poll(count).toBe('23 of 23');
    expect((await userNames())[0]).toBe('Ana Costa');
    expect(await stored('ana')).toEqual({ id: 'ana', name: 'Ana Costa', profile: 'A retired teacher from Porto who likes trains.', metadata: { city: 'Porto' }, vector: null });
  }, SLOW);

  it('edits a user, keeping its id and vector, and deletes one with its sessions only once confirmed', async () => {
    await upsert({ id: 'eva', name: 'Eva', profile: 'Before', vector: [0.5, 1.5] });
    await upsert({ id: 'gone', name: 'Gone Soon' });
    for (const title of ['Gone 1', 'Gone 2']) await createSession(title, { ownerId: 'gone' });
    await page.goto(`${origin}/console#/users`);
    await page.getByRole('button', { name: 'Edit Eva' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Eva' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByLabel('Id').getAttribute('readonly')).not.toBeNull();
    expect(await dialog.getByLabel('Profile').inputValue()).toBe('Before');
    await dialog.getByLabel('Name').fill('Eva Lima');
    await dialog.getByLabel('Profile').fill('After');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.locator('.user-row', { hasText: 'eva' }).locator('h3').innerText()).toBe('Eva Lima');
    expect(await stored('eva')).toEqual({ id: 'eva', name: 'Eva Lima', profile: 'After', metadata: {}, vector: [0.5, 1.5] });

    // Its session count follows the sessions created and deleted by any client.
    await expect.poll(() => page.locator('.connection').innerText()).toBe('Live');
    const elsewhere = await createSession('Eva elsewhere', { ownerId: 'eva' });
    await expect.poll(() => page.locator('.user-row', { hasText: 'eva' }).innerText()).toContain('eva · 1 session ·');
    await api('mutation($id: ID!) { deleteSession(id: $id) { __typename } }', { id: elsewhere });
    await expect.poll(() => page.locator('.user-row', { hasText: 'eva' }).innerText()).toContain('eva · 0 sessions ·');

    const row = page.locator('.user-row', { hasText: 'Gone Soon' });
    expect(await row.innerText()).toContain('gone · 2 sessions');
    await page.getByRole('button', { name: 'Delete Gone Soon' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this user?' });
    await expect.poll(() => confirm.innerText().catch(() => '')).toContain('“Gone Soon” (gone) will be deleted for every client, and with it every session it owns (2 sessions now)');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await stored('gone')).not.toBeNull();
    await page.getByRole('button', { name: 'Delete Gone Soon' }).click();
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await stored('gone')).not.toBeNull();
    await page.getByRole('button', { name: 'Delete Gone Soon' }).click();
    await confirm.getByRole('button', { name: 'Delete user and sessions' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Gone Soon was deleted, with 2 sessions.' }).count()).toBe(1);
    expect(await row.count()).toBe(0);
    expect(await stored('gone')).toBeNull();
    const left = await api<{ sessions: { edges: unknown[] } }>('{ sessions(filter: { ownerId: "gone" }) { ... on SessionConnection { edges { cursor } } } }');
    expect(left.sessions.edges).toEqual([]);
  }, SLOW);

  it('picks a persona in the settings and shows its name in the conversation, or its id when no such user is left', async () => {
    await upsert({ id: 'rui', name: 'Rui Almeida', profile: 'Asks short questions.' });
    const id = await createSession('With a persona', { messages: [{ role: 'USER', content: 'Hello' }] });
    await page.goto(`${origin}/console#/sessions/${id}`);
    await expect.poll(() => messageTexts()).toEqual(['Hello']);
    expect(await page.locator('.conversation-head .persona').count()).toBe(0);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Session settings' });
    const persona = dialog.getByLabel('Persona (a user profile)');
    expect(await persona.inputValue()).toBe('');
    await persona.selectOption({ label: 'Rui Almeida (rui)' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.locator('.conversation-head .persona').innerText().catch(() => '')).toBe('Persona: Rui Almeida');
    await page.reload();
    await expect.poll(() => page.locator('.conversation-head .persona').innerText().catch(() => '')).toBe('Persona: Rui Almeida');
    expect((await api<{ session: { personaId: string } }>('query($id: ID!) { session(id: $id) { personaId } }', { id })).session.personaId).toBe('rui');

    // The persona's profile is deleted elsewhere: the session still names it, and the settings keep it.
    await api('mutation { deleteUser(id: "rui") { __typename } }');
    await page.reload();
    await expect.poll(() => page.locator('.conversation-head .persona').innerText().catch(() => '')).toBe('Persona: rui (no such user)');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => persona.locator('option:checked').innerText().catch(() => '')).toBe('rui (not among the users you can see)');
    await persona.selectOption({ label: 'None' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.locator('.conversation-head .persona').count()).toBe(0);
  }, SLOW);

  it('with AUTH_MODE=apikey shows a non-admin its own profile only, refuses another id at its field, and says why without a key', async () => {
    const apiKeys = [
      { ownerId: 'alice', key: 'alice-key-0123456789', admin: false },
      { ownerId: 'root', key: 'root-key-0123456789', admin: true },
    ];
    const guarded = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, console: true, auth: { ...TEST_CONFIG.auth, mode: 'apikey', apiKeys } }, consoleDir });
    const url = await guarded.start(0);
    const asRoot = (query: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer root-key-0123456789' }, body: JSON.stringify({ query }) });
    try {
      await asRoot('mutation { upsertUser(input: { id: "alice", name: "Alice" }) { __typename } }');
      await asRoot('mutation { upsertUser(input: { id: "bob", name: "Bob" }) { __typename } }');
      await page.goto(new URL('/console#/users', url).href);
      await expect.poll(() => page.getByRole('alert').filter({ hasText: 'The users could not be read' }).innerText().catch(() => '')).toContain('Authentication required');
      await page.getByRole('button', { name: 'Enter key' }).click();
      await page.getByLabel('API key or token').fill('alice-key-0123456789');
      await page.getByRole('button', { name: 'Use it' }).click();
      await expect.poll(userNames).toEqual(['Alice']);
      expect(await count()).toBe('1 of 1');
      await page.getByRole('button', { name: 'New user' }).click();
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Id').fill('bob');
      await dialog.getByLabel('Name').fill('Not Bob');
      await dialog.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => page.locator('#user-id-problems').innerText().catch(() => '')).toContain('Must be your own id');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await userNames()).toEqual(['Alice']);
      const bob = await (await asRoot('{ user(id: "bob") { name } }')).json();
      expect(bob).toEqual({ data: { user: { name: 'Bob' } } });
    } finally {
      await guarded.stop();
    }
  }, SLOW);
});
