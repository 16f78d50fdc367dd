import { describe, expect, it } from 'vitest';
import { as, createTestClient } from './client.js';
import { CopySession, CreateSession, SessionsWithOwners, UpsertUser, UsersWithSessionCounts } from './operations.js';

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

  it('counts the sessions of a page of users in one storage call, and reads no page for sessions(first: 0)', async () => {
    const { run, counter } = createTestClient();
    for (let i = 0; i < 20; i++) await run(UpsertUser, { input: { id: `owner-${String(i).padStart(2, '0')}`, name: `Owner ${i}` } });
    for (let i = 0; i < 30; i++) await run(CreateSession, { input: { ownerId: `owner-${String(i % 15).padStart(2, '0')}` } });
    const expected = Array.from({ length: 20 }, (_, i) => (i < 15 ? 2 : 0));
    // What the console's users view asks: how many sessions each user has.
    counter.reset();
    const counts = as((await run(UsersWithSessionCounts, { first: 20, sessions: 0 })).users, 'UserConnection');
    expect(counts.edges.map((e) => e.node.sessions.totalCount)).toEqual(expected);
    expect(counts.edges.map((e) => e.node.sessions.pageInfo.hasNextPage)).toEqual(expected.map((n) => n > 0));
    expect(counts.edges.every((e) => e.node.sessions.edges.length === 0)).toBe(true);
    expect(Object.fromEntries(counter.calls)).toEqual({ listUsers: 1, countSessionsByOwner: 1 });
    // With a page of sessions each, the pages are read per user; the counts still together.
    counter.reset();
    const pages = as((await run(UsersWithSessionCounts, { first: 20, sessions: 1 })).users, 'UserConnection');
    expect(pages.edges.map((e) => e.node.sessions.totalCount)).toEqual(expected);
    expect(pages.edges.map((e) => e.node.sessions.edges.length)).toEqual(expected.map((n) => Math.min(n, 1)));
    expect(pages.edges.map((e) => e.node.sessions.pageInfo.hasNextPage)).toEqual(expected.map((n) => n > 1));
    expect(Object.fromEntries(counter.calls)).toEqual({ listUsers: 1, listSessions: 20, countSessionsByOwner: 1 });
  });
});
