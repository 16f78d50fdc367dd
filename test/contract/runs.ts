import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/core/errors.js';
import type { Run, RunStatus } from '../../src/core/run.js';
import { range, type ContractContext } from './harness.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
/** A date `ms` milliseconds after T0 (odd milliseconds on purpose: they must survive storage). */
const at = (ms: number) => new Date(T0 + ms);

/** A QUEUED run of `sessionId` with every field set; `overrides` replace any of them. */
export function newRun(id: string, sessionId: string, overrides: Partial<Run> = {}): Run {
  return {
    id,
    sessionId,
    ownerId: null,
    status: 'QUEUED',
    settings: { model: null, maxOutputTokens: null, temperature: null },
    clientId: null,
    inputSeq: 0,
    outputSeq: null,
    model: null,
    finishReason: null,
    usage: null,
    error: null,
    cancelRequested: false,
    eventCount: 0,
    createdAt: at(1),
    startedAt: null,
    endedAt: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    version: 1,
    ...overrides,
  };
}

const ids = (runs: readonly Run[]) => runs.map((r) => r.id);

/**
 * The runs part of the contract (RunStorage in src/core/run.ts), exercised on the storage itself:
 * sessions are created through the service, runs stored and changed directly.
 */
export function runContract(ctx: ContractContext) {
  describe('runs', () => {
    const session = (id: string, ownerId?: string) => ctx.service.createSession({ id, ...(ownerId ? { ownerId } : {}) });

    describe('create and read', () => {
      it('stores a run with every field and reads it back equal, dates to the millisecond', async () => {
        await session('s', 'alice');
        const run = newRun('r1', 's', {
          ownerId: 'alice',
          status: 'RUNNING',
          settings: { model: 'gpt-x', maxOutputTokens: 256, temperature: 0.25 },
          clientId: 'c-1',
          inputSeq: 3,
          outputSeq: 4,
          model: 'gpt-x-2026',
          finishReason: 'LENGTH',
          usage: { promptTokens: 11, completionTokens: 22 },
          error: { code: 'RATE_LIMITED', message: 'slow down' },
          cancelRequested: true,
          eventCount: 7,
          createdAt: at(123),
          startedAt: at(457),
          endedAt: at(999),
          leaseOwner: 'instance-a',
          leaseExpiresAt: at(30_001),
          version: 3,
        });
        const expected = structuredClone(run);
        const { run: stored, created } = await ctx.storage.createRun(run);
        expect(created).toBe(true);
        expect(stored).toEqual(expected);
        expect(stored).not.toBe(run);
        const read = await ctx.storage.getRun('r1');
        expect(read).toEqual(expected);
        expect(read!.createdAt.getTime()).toBe(T0 + 123);
        expect(read!.leaseExpiresAt!.getTime()).toBe(T0 + 30_001);
        expect(read!.startedAt).toBeInstanceOf(Date);
      });

      it('stores a run with every optional field null and reads the nulls back', async () => {
        await session('s');
        const run = newRun('r1', 's');
        await ctx.storage.createRun(run);
        expect(await ctx.storage.getRun('r1')).toEqual(newRun('r1', 's'));
      });

      it('returns null for an unknown run', async () => {
        expect(await ctx.storage.getRun('nope')).toBeNull();
      });

      it('hands out copies: mutating the input or a result never changes the stored run', async () => {
        await session('s');
        const input = newRun('r1', 's', { usage: { promptTokens: 1, completionTokens: 2 }, startedAt: at(5) });
        const { run: result } = await ctx.storage.createRun(input);
        input.status = 'FAILED';
        input.settings.model = 'input-mutated';
        input.usage!.promptTokens = 99;
        input.createdAt.setTime(0);
        result.status = 'CANCELLED';
        result.settings.temperature = 9;
        result.usage!.completionTokens = 99;
        result.startedAt!.setTime(0);
        const read = await ctx.storage.getRun('r1');
        expect(read).toEqual(newRun('r1', 's', { usage: { promptTokens: 1, completionTokens: 2 }, startedAt: at(5) }));
        read!.settings.maxOutputTokens = 1;
        read!.createdAt.setTime(0);
        const [listed] = await ctx.storage.listRuns({ filter: { sessionId: 's' }, direction: 'ASC', limit: 10 });
        listed!.usage!.promptTokens = 50;
        expect(await ctx.storage.getRun('r1')).toEqual(newRun('r1', 's', { usage: { promptTokens: 1, completionTokens: 2 }, startedAt: at(5) }));
      });

      it('throws NotFoundError(Session) for a run of a missing session, storing nothing', async () => {
        const attempt = ctx.storage.createRun(newRun('r1', 'ghost'));
        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toMatchObject({ entity: 'Session', id: 'ghost' });
        expect(await ctx.storage.getRun('r1')).toBeNull();
        expect(await ctx.storage.countRuns({})).toBe(0);
      });

      it('throws ConflictError(ID_TAKEN) for a taken id and keeps the first run', async () => {
        await session('a');
        await session('b');
        await ctx.storage.createRun(newRun('r1', 'a', { inputSeq: 1 }));
        const sameSession = ctx.storage.createRun(newRun('r1', 'a', { inputSeq: 2 }));
        await expect(sameSession).rejects.toBeInstanceOf(ConflictError);
        await expect(sameSession).rejects.toMatchObject({ reason: 'ID_TAKEN' });
        const otherSession = ctx.storage.createRun(newRun('r1', 'b', { clientId: 'c' }));
        await expect(otherSession).rejects.toMatchObject({ reason: 'ID_TAKEN' });
        expect(await ctx.storage.getRun('r1')).toEqual(newRun('r1', 'a', { inputSeq: 1 }));
        expect(await ctx.storage.countRuns({})).toBe(1);
      });
    });

    describe('clientId idempotency', () => {
      it('returns the first run with created: false for the same clientId in the same session', async () => {
        await session('s');
        const first = await ctx.storage.createRun(newRun('r1', 's', { clientId: 'retry-me', inputSeq: 1 }));
        const again = await ctx.storage.createRun(newRun('r2', 's', { clientId: 'retry-me', inputSeq: 2 }));
        expect(again).toEqual({ run: first.run, created: false });
        expect(await ctx.storage.getRun('r2')).toBeNull();
        expect(await ctx.storage.countRuns({ sessionId: 's' })).toBe(1);
      });

      it('creates exactly one run when calls with the same clientId race', async () => {
        await session('s');
        const results = await Promise.all(range(1, 8).map((i) => ctx.storage.createRun(newRun(`r${i}`, 's', { clientId: 'same' }))));
        const created = results.filter((r) => r.created);
        expect(created).toHaveLength(1);
        const winner = created[0]!.run;
        for (const result of results) expect(result.run).toEqual(winner);
        expect(ids(await ctx.storage.listRuns({ filter: { sessionId: 's' }, direction: 'ASC', limit: 10 }))).toEqual([winner.id]);
      });

      it('finds a run by its clientId within its session only, and not after the session is deleted', async () => {
        await session('a');
        await session('b');
        const stored = await ctx.storage.createRun(newRun('ra', 'a', { clientId: 'mine' }));
        expect(await ctx.storage.findRunByClientId('a', 'mine')).toEqual(stored.run);
        expect(await ctx.storage.findRunByClientId('b', 'mine')).toBeNull();
        expect(await ctx.storage.findRunByClientId('a', 'other')).toBeNull();
        await ctx.service.deleteSession('a');
        await session('a');
        expect(await ctx.storage.findRunByClientId('a', 'mine')).toBeNull();
      });

      it('keeps the same clientId in different sessions independent', async () => {
        await session('a');
        await session('b');
        const inA = await ctx.storage.createRun(newRun('ra', 'a', { clientId: 'shared' }));
        const inB = await ctx.storage.createRun(newRun('rb', 'b', { clientId: 'shared' }));
        expect(inA.created).toBe(true);
        expect(inB.created).toBe(true);
        expect(inB.run.id).toBe('rb');
        expect(await ctx.storage.countRuns({})).toBe(2);
      });

      it('never treats runs without a clientId as duplicates of each other', async () => {
        await session('s');
        for (const i of range(1, 3)) expect((await ctx.storage.createRun(newRun(`r${i}`, 's'))).created).toBe(true);
        expect(await ctx.storage.countRuns({ sessionId: 's' })).toBe(3);
      });
    });

    describe('list and count', () => {
      /** Runs over sessions s1 (alice) and s2 (bob), with ties in createdAt broken by id. */
      async function seed() {
        await session('s1', 'alice');
        await session('s2', 'bob');
        const specs: [string, string, string, number, RunStatus][] = [
          ['r-c', 's1', 'alice', 10, 'SUCCEEDED'],
          ['r-a', 's1', 'alice', 20, 'FAILED'],
          ['r-b', 's1', 'alice', 20, 'RUNNING'],
          ['r-e', 's2', 'bob', 15, 'QUEUED'],
          ['r-d', 's1', 'alice', 30, 'QUEUED'],
          ['r-f', 's2', 'bob', 20, 'RUNNING'],
        ];
        // Inserted out of order, so that no adapter gets the order for free.
        for (const [id, sessionId, ownerId, ms, status] of [...specs].reverse()) {
          await ctx.storage.createRun(newRun(id, sessionId, { ownerId, status, createdAt: at(ms) }));
        }
      }

      it('orders by createdAt then id, oldest first (ASC) or newest first (DESC)', async () => {
        await seed();
        const asc = await ctx.storage.listRuns({ filter: {}, direction: 'ASC', limit: 10 });
        expect(ids(asc)).toEqual(['r-c', 'r-e', 'r-a', 'r-b', 'r-f', 'r-d']);
        const desc = await ctx.storage.listRuns({ filter: {}, direction: 'DESC', limit: 10 });
        expect(ids(desc)).toEqual(['r-d', 'r-f', 'r-b', 'r-a', 'r-e', 'r-c']);
      });

      it('filters by sessionId, ownerId and statuses, alone or together', async () => {
        await seed();
        const list = (filter: Parameters<typeof ctx.storage.listRuns>[0]['filter']) => ctx.storage.listRuns({ filter, direction: 'ASC', limit: 10 }).then(ids);
        expect(await list({ sessionId: 's1' })).toEqual(['r-c', 'r-a', 'r-b', 'r-d']);
        expect(await list({ ownerId: 'bob' })).toEqual(['r-e', 'r-f']);
        expect(await list({ statuses: ['RUNNING', 'QUEUED'] })).toEqual(['r-e', 'r-b', 'r-f', 'r-d']);
        expect(await list({ sessionId: 's1', statuses: ['RUNNING', 'QUEUED'] })).toEqual(['r-b', 'r-d']);
        expect(await list({ ownerId: 'alice', statuses: ['SUCCEEDED'] })).toEqual(['r-c']);
        expect(await list({ sessionId: 's2', ownerId: 'alice' })).toEqual([]);
        expect(await list({ sessionId: 'ghost' })).toEqual([]);
        expect(await list({ statuses: ['CANCELLED'] })).toEqual([]);
      });

      it('pages with the `after` keyset, strictly after the cursor in either direction, ties included', async () => {
        await seed();
        const page = (direction: 'ASC' | 'DESC', after: { at: Date; id: string } | undefined, limit: number) =>
          ctx.storage.listRuns({ filter: {}, direction, after, limit }).then(ids);
        expect(await page('ASC', { at: at(20), id: 'r-a' }, 10)).toEqual(['r-b', 'r-f', 'r-d']);
        expect(await page('ASC', { at: at(20), id: 'r-b' }, 2)).toEqual(['r-f', 'r-d']);
        expect(await page('DESC', { at: at(20), id: 'r-b' }, 10)).toEqual(['r-a', 'r-e', 'r-c']);
        expect(await page('DESC', { at: at(20), id: 'r-f' }, 1)).toEqual(['r-b']);
        // A cursor that is not a stored run still bounds the page.
        expect(await page('ASC', { at: at(16), id: 'zzz' }, 10)).toEqual(['r-a', 'r-b', 'r-f', 'r-d']);
        expect(await page('ASC', { at: at(30), id: 'r-d' }, 10)).toEqual([]);
        // Walking page by page visits every run once.
        const seen: string[] = [];
        let after: { at: Date; id: string } | undefined;
        for (;;) {
          const runs = await ctx.storage.listRuns({ filter: { sessionId: 's1' }, direction: 'DESC', after, limit: 3 });
          if (runs.length === 0) break;
          seen.push(...ids(runs));
          const last = runs[runs.length - 1]!;
          after = { at: last.createdAt, id: last.id };
        }
        expect(seen).toEqual(['r-d', 'r-b', 'r-a', 'r-c']);
      });

      it('returns at most `limit` runs, none for a limit of 0', async () => {
        await seed();
        expect(ids(await ctx.storage.listRuns({ filter: {}, direction: 'ASC', limit: 2 }))).toEqual(['r-c', 'r-e']);
        expect(ids(await ctx.storage.listRuns({ filter: { ownerId: 'alice' }, direction: 'DESC', limit: 1 }))).toEqual(['r-d']);
        expect(await ctx.storage.listRuns({ filter: {}, direction: 'ASC', limit: 0 })).toEqual([]);
      });

      it('counts the runs matching a filter', async () => {
        await seed();
        expect(await ctx.storage.countRuns({})).toBe(6);
        expect(await ctx.storage.countRuns({ sessionId: 's1' })).toBe(4);
        expect(await ctx.storage.countRuns({ ownerId: 'bob' })).toBe(2);
        expect(await ctx.storage.countRuns({ statuses: ['RUNNING'] })).toBe(2);
        expect(await ctx.storage.countRuns({ sessionId: 's1', statuses: ['QUEUED', 'RUNNING'] })).toBe(2);
        expect(await ctx.storage.countRuns({ ownerId: 'nobody' })).toBe(0);
      });
    });

    describe('update', () => {
      it('applies the changes and bumps version, returning the run as stored', async () => {
        await session('s');
        await ctx.storage.createRun(newRun('r1', 's'));
        const started = await ctx.storage.updateRun(
          'r1',
          { status: 'RUNNING', startedAt: at(1001), leaseOwner: 'i-1', leaseExpiresAt: at(31_001) },
          { expectedStatuses: ['QUEUED'] },
        );
        const expected = newRun('r1', 's', { status: 'RUNNING', startedAt: at(1001), leaseOwner: 'i-1', leaseExpiresAt: at(31_001), version: 2 });
        expect(started).toEqual(expected);
        expect(await ctx.storage.getRun('r1')).toEqual(expected);
        const done = await ctx.storage.updateRun(
          'r1',
          {
            status: 'SUCCEEDED',
            outputSeq: 2,
            model: 'm-1',
            finishReason: 'STOP',
            usage: { promptTokens: 3, completionTokens: 4 },
            eventCount: 12,
            endedAt: at(2002),
            leaseOwner: null,
            leaseExpiresAt: null,
          },
          { expectedStatuses: ['RUNNING'], expectedVersion: 2 },
        );
        const final = {
          ...expected,
          status: 'SUCCEEDED',
          outputSeq: 2,
          model: 'm-1',
          finishReason: 'STOP',
          usage: { promptTokens: 3, completionTokens: 4 },
          eventCount: 12,
          endedAt: at(2002),
          leaseOwner: null,
          leaseExpiresAt: null,
          version: 3,
        };
        expect(done).toEqual(final);
        expect(await ctx.storage.getRun('r1')).toEqual(final);
      });

      it('changes only the fields given, even with no status change', async () => {
        await session('s');
        await ctx.storage.createRun(newRun('r1', 's', { status: 'RUNNING', leaseOwner: 'i-1', eventCount: 2 }));
        const after = await ctx.storage.updateRun('r1', { cancelRequested: true }, { expectedStatuses: ['RUNNING'] });
        expect(after).toEqual(newRun('r1', 's', { status: 'RUNNING', leaseOwner: 'i-1', eventCount: 2, cancelRequested: true, version: 2 }));
      });

      it('returns null and changes nothing when the status is not expected', async () => {
        await session('s');
        await ctx.storage.createRun(newRun('r1', 's', { status: 'SUCCEEDED' }));
        expect(await ctx.storage.updateRun('r1', { status: 'FAILED', eventCount: 5 }, { expectedStatuses: ['QUEUED', 'RUNNING'] })).toBeNull();
        expect(await ctx.storage.updateRun('r1', { eventCount: 5 }, { expectedStatuses: [] })).toBeNull();
        expect(await ctx.storage.getRun('r1')).toEqual(newRun('r1', 's', { status: 'SUCCEEDED' }));
      });

      it('returns null and changes nothing when expectedVersion differs', async () => {
        await session('s');
        await ctx.storage.createRun(newRun('r1', 's'));
        await ctx.storage.updateRun('r1', { eventCount: 1 }, { expectedStatuses: ['QUEUED'], expectedVersion: 1 });
        expect(await ctx.storage.updateRun('r1', { eventCount: 9, status: 'CANCELLED' }, { expectedStatuses: ['QUEUED'], expectedVersion: 1 })).toBeNull();
        expect(await ctx.storage.getRun('r1')).toEqual(newRun('r1', 's', { eventCount: 1, version: 2 }));
      });

      it('throws NotFoundError for an unknown run', async () => {
        const attempt = ctx.storage.updateRun('nope', { status: 'FAILED' }, { expectedStatuses: ['RUNNING'] });
        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        await expect(attempt).rejects.toMatchObject({ entity: 'Run', id: 'nope' });
      });

      it('lets exactly one of two racing final transitions from RUNNING win', async () => {
        await session('s');
        for (const i of range(1, 5)) {
          await ctx.storage.createRun(newRun(`r${i}`, 's', { status: 'RUNNING' }));
          const [succeeded, cancelled] = await Promise.all([
            ctx.storage.updateRun(`r${i}`, { status: 'SUCCEEDED', outputSeq: 1 }, { expectedStatuses: ['RUNNING'] }),
            ctx.storage.updateRun(`r${i}`, { status: 'CANCELLED', cancelRequested: true }, { expectedStatuses: ['RUNNING'] }),
          ]);
          const winners = [succeeded, cancelled].filter((r) => r !== null);
          expect(winners).toHaveLength(1);
          const stored = await ctx.storage.getRun(`r${i}`);
          expect(stored).toEqual(winners[0]);
          expect(stored!.version).toBe(2);
          // The loser's changes are nowhere.
          if (stored!.status === 'SUCCEEDED') expect(stored!.cancelRequested).toBe(false);
          else expect(stored!.outputSeq).toBeNull();
        }
      });
    });

    describe('slot', () => {
      it('is free at first, then claimed, handed over and released', async () => {
        await session('s');
        expect(await ctx.storage.getSlot('s')).toBeNull();
        expect(await ctx.storage.moveSlot('s', null, 'r1')).toBe(true);
        expect(await ctx.storage.getSlot('s')).toBe('r1');
        expect(await ctx.storage.moveSlot('s', 'r1', 'r2')).toBe(true);
        expect(await ctx.storage.getSlot('s')).toBe('r2');
        expect(await ctx.storage.moveSlot('s', 'r2', null)).toBe(true);
        expect(await ctx.storage.getSlot('s')).toBeNull();
        expect(await ctx.storage.moveSlot('s', null, 'r3')).toBe(true);
        expect(await ctx.storage.getSlot('s')).toBe('r3');
      });

      it('does not move when held by another than `from`, and changes nothing', async () => {
        await session('s');
        await session('free');
        await ctx.storage.moveSlot('s', null, 'r1');
        expect(await ctx.storage.moveSlot('s', null, 'r2')).toBe(false);
        expect(await ctx.storage.moveSlot('s', 'r9', 'r2')).toBe(false);
        expect(await ctx.storage.moveSlot('s', 'r9', null)).toBe(false);
        expect(await ctx.storage.getSlot('s')).toBe('r1');
        expect(await ctx.storage.moveSlot('free', 'r1', 'r2')).toBe(false);
        expect(await ctx.storage.moveSlot('free', 'r1', null)).toBe(false);
        expect(await ctx.storage.getSlot('free')).toBeNull();
      });

      it('keeps the slots of sessions apart', async () => {
        await session('a');
        await session('b');
        expect(await ctx.storage.moveSlot('a', null, 'ra')).toBe(true);
        expect(await ctx.storage.moveSlot('b', null, 'rb')).toBe(true);
        await ctx.storage.moveSlot('a', 'ra', null);
        expect(await ctx.storage.getSlot('a')).toBeNull();
        expect(await ctx.storage.getSlot('b')).toBe('rb');
      });

      it('gives the slot to exactly one of racing claims', async () => {
        await session('s');
        const claims = await Promise.all(range(1, 8).map((i) => ctx.storage.moveSlot('s', null, `r${i}`)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await ctx.storage.getSlot('s')).toBe(`r${claims.indexOf(true) + 1}`);
      });

      it('refuses to claim the slot of a missing session', async () => {
        expect(await ctx.storage.moveSlot('ghost', null, 'r1')).toBe(false);
        expect(await ctx.storage.getSlot('ghost')).toBeNull();
      });
    });

    describe('expired leases', () => {
      it('lists only RUNNING runs whose lease expired before now, oldest lease first, up to limit', async () => {
        await session('s');
        const running = (id: string, leaseMs: number | null, status: RunStatus = 'RUNNING') =>
          ctx.storage.createRun(newRun(id, 's', { status, leaseOwner: 'i', leaseExpiresAt: leaseMs === null ? null : at(leaseMs) }));
        await running('late', 300);
        await running('early', 100);
        await running('middle', 200);
        await running('exactly-now', 500);
        await running('future', 900);
        await running('no-lease', null);
        await running('queued', 50, 'QUEUED');
        await running('done', 50, 'SUCCEEDED');
        expect(ids(await ctx.storage.listExpiredRuns(at(500), 10))).toEqual(['early', 'middle', 'late']);
        expect(ids(await ctx.storage.listExpiredRuns(at(500), 2))).toEqual(['early', 'middle']);
        expect(ids(await ctx.storage.listExpiredRuns(at(501), 10))).toEqual(['early', 'middle', 'late', 'exactly-now']);
        expect(await ctx.storage.listExpiredRuns(at(100), 10)).toEqual([]);
        expect(await ctx.storage.listExpiredRuns(at(500), 0)).toEqual([]);
      });

      it('drops a run from the list once it is no longer RUNNING or its lease is renewed', async () => {
        await session('s');
        await ctx.storage.createRun(newRun('a', 's', { status: 'RUNNING', leaseExpiresAt: at(100) }));
        await ctx.storage.createRun(newRun('b', 's', { status: 'RUNNING', leaseExpiresAt: at(200) }));
        await ctx.storage.updateRun('a', { status: 'FAILED', error: { code: 'LEASE_EXPIRED', message: 'gone' } }, { expectedStatuses: ['RUNNING'] });
        await ctx.storage.updateRun('b', { leaseExpiresAt: at(10_000) }, { expectedStatuses: ['RUNNING'] });
        expect(await ctx.storage.listExpiredRuns(at(5000), 10)).toEqual([]);
      });
    });

    describe('removal with the session', () => {
      it('deleting a session removes its runs and frees its slot, leaving other sessions alone', async () => {
        await session('doomed');
        await session('kept');
        await ctx.storage.createRun(newRun('d1', 'doomed', { clientId: 'c' }));
        await ctx.storage.createRun(newRun('d2', 'doomed', { status: 'RUNNING', leaseExpiresAt: at(1) }));
        await ctx.storage.createRun(newRun('k1', 'kept'));
        await ctx.storage.moveSlot('doomed', null, 'd2');
        await ctx.storage.moveSlot('kept', null, 'k1');
        await ctx.service.deleteSession('doomed');
        expect(await ctx.storage.getRun('d1')).toBeNull();
        expect(await ctx.storage.getRun('d2')).toBeNull();
        expect(await ctx.storage.getSlot('doomed')).toBeNull();
        expect(await ctx.storage.listRuns({ filter: { sessionId: 'doomed' }, direction: 'ASC', limit: 10 })).toEqual([]);
        expect(await ctx.storage.countRuns({})).toBe(1);
        expect(await ctx.storage.listExpiredRuns(at(1_000_000), 10)).toEqual([]);
        expect(await ctx.storage.getRun('k1')).not.toBeNull();
        expect(await ctx.storage.getSlot('kept')).toBe('k1');
        // A new session under the same id starts with no runs, a free slot and unused clientIds.
        await session('doomed');
        expect(await ctx.storage.getSlot('doomed')).toBeNull();
        expect(await ctx.storage.moveSlot('doomed', null, 'n1')).toBe(true);
        expect((await ctx.storage.createRun(newRun('n1', 'doomed', { clientId: 'c' }))).created).toBe(true);
        expect(ids(await ctx.storage.listRuns({ filter: { sessionId: 'doomed' }, direction: 'ASC', limit: 10 }))).toEqual(['n1']);
      });

      it('refuses runs and slot claims for a deleted session', async () => {
        await session('s');
        await ctx.service.deleteSession('s');
        await expect(ctx.storage.createRun(newRun('r1', 's'))).rejects.toBeInstanceOf(NotFoundError);
        expect(await ctx.storage.moveSlot('s', null, 'r1')).toBe(false);
      });

      it('deleting a user removes the runs and slots of its sessions only', async () => {
        await ctx.service.upsertUser({ id: 'owner', name: 'O' });
        await session('mine-1', 'owner');
        await session('mine-2', 'owner');
        await session('theirs', 'other');
        await ctx.storage.createRun(newRun('m1', 'mine-1', { ownerId: 'owner' }));
        await ctx.storage.createRun(newRun('m2', 'mine-2', { ownerId: 'owner' }));
        await ctx.storage.createRun(newRun('t1', 'theirs', { ownerId: 'other' }));
        await ctx.storage.moveSlot('mine-1', null, 'm1');
        await ctx.storage.moveSlot('theirs', null, 't1');
        await ctx.service.deleteUser('owner');
        expect(await ctx.storage.getRun('m1')).toBeNull();
        expect(await ctx.storage.getRun('m2')).toBeNull();
        expect(await ctx.storage.getSlot('mine-1')).toBeNull();
        expect(await ctx.storage.countRuns({ ownerId: 'owner' })).toBe(0);
        expect(await ctx.storage.getRun('t1')).not.toBeNull();
        expect(await ctx.storage.getSlot('theirs')).toBe('t1');
      });
    });
  });
}
