import { describe, expect, it } from 'vitest';
import { fixture } from '../contract/exchange.js';
import { as, createTestClient } from './client.js';
import { CreateSession, ExportSession, GetSession, ImportSession, ListSessions } from './operations.js';

describe('import and export over GraphQL', () => {
  it('imports the SDK session file and the chat message list, and exports them back', async () => {
    const { run } = createTestClient();
    const sdk = as((await run(ImportSession, { document: fixture('sdk-session.json') })).importSession, 'Session');
    expect(sdk).toMatchObject({ id: '5f3e9a7b-6c1d-4d8e-9e7a-9b8c7d6e5f4a', title: 'Installer trouble', messageCount: 3 });
    const exported = as((await run(ExportSession, { id: sdk.id, format: 'SDK' })).exportSession, 'ExportedSession');
    expect(exported.document).toEqual(fixture('sdk-session.json'));

    const chat = as((await run(ImportSession, { document: fixture('chat-messages.json'), ownerId: 'me' })).importSession, 'Session');
    expect(chat).toMatchObject({ ownerId: 'me', messageCount: 4 });
    const back = as((await run(ExportSession, { id: chat.id, format: 'CHAT_MESSAGES' })).exportSession, 'ExportedSession');
    expect(back.document).toEqual(fixture('chat-messages.json'));
  });

  it('exports a Parley document that imports as a copy under a new id', async () => {
    const { run } = createTestClient();
    await run(CreateSession, { input: { id: 'orig', title: 'T', metadata: { x: 1 }, messages: [{ role: 'USER', content: 'hi' }] } });
    const doc = as((await run(ExportSession, { id: 'orig' })).exportSession, 'ExportedSession');
    expect(doc).toMatchObject({ format: 'PARLEY', document: { format: 'parley.session', version: 1, session: { id: 'orig' } } });
    expect(as((await run(ImportSession, { document: doc.document })).importSession, 'ConflictError').reason).toBe('ID_TAKEN');
    const copy = as((await run(ImportSession, { document: doc.document, newId: 'copy' })).importSession, 'Session');
    expect(copy).toMatchObject({ id: 'copy', title: 'T', metadata: { x: 1 }, messageCount: 1 });
    expect(as((await run(ExportSession, { id: 'nope' })).exportSession, 'NotFoundError').entityId).toBe('nope');
  });

  it('reports every problem of a broken document under "document" and stores nothing', async () => {
    const { run } = createTestClient();
    const broken = { title: 3, messages: [{ role: 'robot', content: 'x' }, { role: 'user' }] };
    const error = as((await run(ImportSession, { document: broken })).importSession, 'ValidationError');
    expect(error.problems.map((p) => p.path.join('.')).sort()).toEqual(['document.messages.0.role', 'document.messages.1.content', 'document.title']);
    expect(as((await run(ImportSession, { document: 'just text' })).importSession, 'ValidationError').problems[0]?.path).toEqual(['document']);
    const wrongFormat = as((await run(ImportSession, { document: fixture('chat-messages.json'), format: 'SDK' })).importSession, 'ValidationError');
    expect(wrongFormat.problems.length).toBeGreaterThan(0);
    expect(as((await run(ListSessions, {})).sessions, 'SessionConnection').totalCount).toBe(0);
  });

  it('refuses a document whose numbers the API could not return, as a ValidationError with their paths, storing nothing', async () => {
    const { run } = createTestClient();
    const doc = as((await run(ExportSession, { id: as((await run(CreateSession, { input: { id: 'src', messages: [{ role: 'USER', content: 'hi' }] } })).createSession, 'Session').id })).exportSession, 'ExportedSession').document as {
      session: Record<string, unknown>;
      messages: Record<string, unknown>[];
    };
    const big = { ...doc, session: { ...doc.session, id: 'big', version: 2 ** 31 }, messages: doc.messages.map((m) => ({ ...m, id: 'm-big', seq: 2 ** 31 })) };
    const error = as((await run(ImportSession, { document: big })).importSession, 'ValidationError');
    expect(error.problems.map((p) => p.path.join('.')).sort()).toEqual(['document.messages.0.seq', 'document.session.version']);
    expect((await run(GetSession, { id: 'big' })).session).toBeNull();
    expect(as((await run(ListSessions, {})).sessions, 'SessionConnection').totalCount).toBe(1);
  });
});
