import { idTaken, NotFoundError } from '../../src/core/errors.js';
import { ACTIVE_STATUSES, type Run, type RunFilter, type RunStorage } from '../../src/core/run.js';

const copyDate = (d: Date | null): Date | null => (d === null ? null : new Date(d.getTime()));

export function cloneRun(r: Run): Run {
  return {
    ...r,
    settings: { ...r.settings },
    usage: r.usage && { ...r.usage },
    error: r.error && { ...r.error },
    createdAt: new Date(r.createdAt.getTime()),
    startedAt: copyDate(r.startedAt),
    endedAt: copyDate(r.endedAt),
    leaseExpiresAt: copyDate(r.leaseExpiresAt),
  };
}

const byCreation = (a: Run, b: Run) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function matches(run: Run, filter: RunFilter): boolean {
  if (filter.sessionId !== undefined && run.sessionId !== filter.sessionId) return false;
  if (filter.ownerId !== undefined && run.ownerId !== filter.ownerId) return false;
  if (filter.statuses && filter.statuses.length > 0 && !filter.statuses.includes(run.status)) return false;
  return true;
}

/**
 * The runs of the in-memory adapter. A session holds few runs at a time that matter (its active
 * one and its queue), so listings filter the session's own runs; global listings scan all runs.
 */
export function createRunTable(sessionExists: (id: string) => boolean): RunStorage & { dropSession(id: string): void } {
  const runs = new Map<string, Run>();
  const bySession = new Map<string, Run[]>();
  const slots = new Map<string, string>();
  /** QUEUED and RUNNING runs: what sweeps and per-owner limits look at, without walking every run kept. */
  const active = new Set<Run>();
  const track = (run: Run) => (ACTIVE_STATUSES.includes(run.status) ? active.add(run) : active.delete(run));

  function candidates(filter: RunFilter): Iterable<Run> {
    if (filter.sessionId !== undefined) return bySession.get(filter.sessionId) ?? [];
    if (filter.statuses && filter.statuses.length > 0 && filter.statuses.every((s) => ACTIVE_STATUSES.includes(s))) return active;
    return runs.values();
  }

  return {
    async createRun(run) {
      if (!sessionExists(run.sessionId)) throw new NotFoundError('Session', run.sessionId);
      const own = bySession.get(run.sessionId) ?? [];
      if (run.clientId !== null) {
        const earlier = own.find((r) => r.clientId === run.clientId);
        if (earlier) return { run: cloneRun(earlier), created: false };
      }
      if (runs.has(run.id)) throw idTaken('Run', run.id);
      const stored = cloneRun(run);
      runs.set(run.id, stored);
      own.push(stored);
      bySession.set(run.sessionId, own);
      track(stored);
      return { run: cloneRun(stored), created: true };
    },

    async getRun(id) {
      const run = runs.get(id);
      return run ? cloneRun(run) : null;
    },

    async findRunByClientId(sessionId, clientId) {
      const run = bySession.get(sessionId)?.find((r) => r.clientId === clientId);
      return run ? cloneRun(run) : null;
    },

    async listRuns({ filter, direction, after, limit }) {
      const sorted = [...candidates(filter)].filter((r) => matches(r, filter)).sort(byCreation);
      if (direction === 'DESC') sorted.reverse();
      const probe = after && ({ createdAt: after.at, id: after.id } as Run);
      const page = probe ? sorted.filter((r) => (direction === 'ASC' ? byCreation(r, probe) > 0 : byCreation(r, probe) < 0)) : sorted;
      return page.slice(0, Math.max(0, limit)).map(cloneRun);
    },

    async countRuns(filter) {
      let count = 0;
      for (const run of candidates(filter)) if (matches(run, filter)) count += 1;
      return count;
    },

    async updateRun(id, changes, { expectedStatuses, expectedVersion }) {
      const run = runs.get(id);
      if (!run) throw new NotFoundError('Run', id);
      if (!expectedStatuses.includes(run.status)) return null;
      if (expectedVersion !== undefined && expectedVersion !== run.version) return null;
      const next = cloneRun({ ...run, ...changes, version: run.version + 1 });
      Object.assign(run, next);
      track(run);
      return cloneRun(run);
    },

    async getSlot(sessionId) {
      return slots.get(sessionId) ?? null;
    },

    async moveSlot(sessionId, from, to) {
      if ((slots.get(sessionId) ?? null) !== from) return false;
      if (from === null && !sessionExists(sessionId)) return false;
      if (to === null) slots.delete(sessionId);
      else slots.set(sessionId, to);
      return true;
    },

    async listExpiredRuns(now, limit) {
      const t = now.getTime();
      return [...active]
        .filter((r) => r.status === 'RUNNING' && r.leaseExpiresAt !== null && r.leaseExpiresAt.getTime() < t)
        .sort((a, b) => (a.leaseExpiresAt as Date).getTime() - (b.leaseExpiresAt as Date).getTime())
        .slice(0, Math.max(0, limit))
        .map(cloneRun);
    },

    dropSession(id) {
      for (const run of bySession.get(id) ?? []) {
        runs.delete(run.id);
        active.delete(run);
      }
      bySession.delete(id);
      slots.delete(id);
    },
  };
}
