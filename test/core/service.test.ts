import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import type { SessionEvent } from '../../src/core/events.js';
import { createSessionService } from '../../src/core/service/index.js';
import { messages, steppingClock } from '../contract/harness.js';

function setup(retentionDays?: number) {
  const events: SessionEvent[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date((clock += 1000));
  const storage = createMemoryStorage({ now: () => clock });
  const service = createSessionService({ storage, now, retentionDays, events: { publish: (e) => void events.push(e) } });
  return { service, events, advance: (ms: number) => (clock += ms) };
}

describe('session service events', () => {
  it('announces every successful write once, and nothing for failed writes or pure retries', async () => {
    const { service, events } = setup();
    const s = await service.createSession({ id: 's', ownerId: 'o', messages: messages(2) });
    await service.appendMessages('s', { messages: messages(2, 'n').map((m, i) => ({ ...m, clientId: `k${i}` })) });
    await service.appendMessages('s', { messages: [{ role: 'USER', content: 'n-1', clientId: 'k0' }] });
    await service.updateSession('s', { title: 'T' });
    await service.appendMessages('s', { messages: messages(1), expectedSeq: 0 }).catch(() => null);
    await service.updateSession('s', { title: 'X', expectedVersion: 1 }).catch(() => null);
    await service.copySession('s', { newId: 'fork' });
    await service.deleteSession('s');
    expect(events.map((e) => [e.type, e.session.id])).toEqual([
      ['SESSION_CREATED', 's'],
      ['MESSAGES_ADDED', 's'],
      ['SESSION_UPDATED', 's'],
      ['SESSION_CREATED', 'fork'],
      ['SESSION_DELETED', 's'],
    ]);
    const added = events[1] as Extract<SessionEvent, { type: 'MESSAGES_ADDED' }>;
    expect(added.messages.map((m) => m.seq)).toEqual([3, 4]);
    expect(added.session).toMatchObject({ id: s.id, ownerId: 'o', lastSeq: 4 });
  });

  it('announces the deletion of each session removed with its user', async () => {
    const { service, events } = setup();
    await service.upsertUser({ id: 'u', name: 'U' });
    await service.createSession({ id: 'a', ownerId: 'u' });
    await service.createSession({ id: 'b', ownerId: 'u' });
    events.length = 0;
    await service.deleteUser('u');
    expect(events.map((e) => [e.type, e.session.id]).sort()).toEqual([
      ['SESSION_DELETED', 'a'],
      ['SESSION_DELETED', 'b'],
    ]);
  });

  it('keeps serving when the event sink throws', async () => {
    const errors: unknown[] = [];
    const service = createSessionService({
      storage: createMemoryStorage(),
      now: steppingClock(),
      events: { publish: () => { throw new Error('broker down'); } },
      onEventError: (e) => void errors.push(e),
    });
    const s = await service.createSession({});
    expect(await service.getSession(s.id)).toEqual(s);
    expect(errors).toHaveLength(1);
  });
});

describe('retention', () => {
  it('expires a session once it has been idle for the retention period, and not before', async () => {
    const { service, advance } = setup(2);
    const s = await service.createSession({ messages: messages(1) });
    expect(s.expiresAt?.getTime()).toBe(s.createdAt.getTime() + 2 * 86_400_000);
    advance(86_400_000);
    const { session } = await service.appendMessages(s.id, { messages: messages(1) });
    expect(session.expiresAt!.getTime()).toBeGreaterThan(s.expiresAt!.getTime());
    advance(86_400_000 + 10_000);
    expect(await service.findSession(s.id)).not.toBeNull();
    advance(86_400_000);
    expect(await service.findSession(s.id)).toBeNull();
    expect(await service.countSessions()).toBe(0);
    expect((await service.listSessions()).edges).toEqual([]);
  });

  it('sets no expiry without a retention period', async () => {
    const { service } = setup();
    expect((await service.createSession({})).expiresAt).toBeNull();
  });
});

describe('limits', () => {
  it('refuses a limit that a counter of the API could not reach (over a 32-bit Int)', () => {
    expect(() => createSessionService({ storage: createMemoryStorage(), limits: { maxMessagesPerSession: 2 ** 31 } })).toThrow(
      /maxMessagesPerSession must be a positive integer of at most 2147483647/,
    );
    expect(() => createSessionService({ storage: createMemoryStorage(), limits: { maxMessagesPerSession: 2 ** 31 - 1 } })).not.toThrow();
  });
});
