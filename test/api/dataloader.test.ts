import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { CopySession, CreateSession, SessionsWithOwners, UpsertUser } from './operations.js';

describe('batching with DataLoader', () => {
  it('resolves 50 sessions with their owners and stats in a constant number of storage calls', async () => {
    const { run, counter } = createTestClient();
    for (let i = 0; i < 10; i++) await run(UpsertUser, { input: { id: `user-${i}`, name: `User ${i}` } });
    for (let i = 0; i < 60; i++) {
      await run(CreateSession, { input: { id: `s${i}`, ownerId: `user-${i % 12}`, messages: [{ role: 'USER', content: 'hi' }] } });
    }
    for (let i = 0; i < 5; i++) await run(CopySession, { id: `s${i}`, newId: `fork-${i}` });
    counter.reset();
    const page = as((await run(SessionsWithOwners, { first: 50 })).sessions, 'SessionConnection');
    expect(page.edges).toHaveLength(50);
    const profiles = new Set(Array.from({ length: 10 }, (_, i) => `user-${i}`));
    for (const { node } of page.edges) {
      expect(node.owner).toEqual(profiles.has(node.ownerId ?? '') ? { id: node.ownerId, name: expect.any(String) } : null);
    }
    expect(page.edges.filter((e) => e.node.owner === null).length).toBeGreaterThan(0);
    expect(page.edges.filter((e) => e.node.forkedFrom?.session).length).toBe(5);
    expect(page.edges.every((e) => e.node.stats.messageCount === 1)).toBe(true);
    expect(Object.fromEntries(counter.calls)).toEqual({ listSessions: 1, getUsers: 1, getSessions: 1 });
  });
});
