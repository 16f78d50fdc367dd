import { sessionStats } from '../stats.js';
import { createDeps, type SessionServiceOptions } from './deps.js';
import { exchangeOperations } from './exchange.js';
import { lineageOperations } from './lineage.js';
import { messageOperations } from './messages.js';
import { runOperations } from './runs.js';
import { sessionOperations } from './sessions.js';
import { userOperations } from './users.js';

/**
 * The session service: every operation of Parley, with its rules (validation, limits, ids, times,
 * copy/merge/import semantics) and an event after each successful write. Storage-agnostic.
 */
export function createSessionService(options: SessionServiceOptions) {
  const deps = createDeps(options);
  const runs = runOperations(deps, options.runs);
  const { storeNew, ...sessions } = sessionOperations(deps);
  return {
    limits: deps.limits,
    ...sessions,
    findSession: (id: string) => deps.storage.getSession(id),
    findSessions: (ids: readonly string[]) => deps.storage.getSessions(ids),
    findUser: (id: string) => deps.storage.getUser(id),
    findUsers: (ids: readonly string[]) => deps.storage.getUsers(ids),
    sessionStats,
    ...messageOperations(deps),
    ...lineageOperations(deps, storeNew),
    ...exchangeOperations(deps, storeNew),
    ...userOperations(deps),
    ...runs,
    ping: () => deps.storage.ping(),
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
