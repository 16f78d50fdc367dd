import { parseUserCursor, userCursor } from '../cursor.js';
import { NotFoundError } from '../errors.js';
import type { GlobalStats, User } from '../model.js';
import { toConnection, type Connection } from '../pagination.js';
import type { InputOf } from '../schemas.js';
import { parseInput } from '../validate.js';
import type { ServiceDeps } from './deps.js';
import { normalizeFilter } from './sessions.js';

export function userOperations(deps: ServiceDeps) {
  const { storage, inputs } = deps;

  /** Creates the user, or replaces the name, profile and metadata of the user with that id. */
  async function upsertUser(input: InputOf<'upsertUser'>): Promise<{ user: User; created: boolean }> {
    const args = parseInput(inputs.upsertUser, input);
    const now = deps.now();
    return storage.upsertUser({
      id: args.id ?? deps.newId(),
      name: args.name,
      profile: args.profile ?? null,
      metadata: args.metadata ?? {},
      vector: args.vector ?? null,
      createdAt: now,
      updatedAt: now,
    });
  }

  async function getUser(id: string): Promise<User> {
    const user = await storage.getUser(id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Users ordered by id. */
  async function listUsers(input: InputOf<'listUsers'> = {}): Promise<Connection<User>> {
    const args = parseInput(inputs.listUsers, input);
    const first = args.first ?? deps.limits.defaultPageSize;
    const afterId = args.after ? parseUserCursor(args.after, ['after']) : undefined;
    const rows = await storage.listUsers({ afterId, limit: first + 1 });
    return toConnection(rows.slice(0, first), (u) => userCursor(u.id), {
      hasNextPage: rows.length > first,
      hasPreviousPage: afterId !== undefined,
    });
  }

  /** Removes the user and every session it owns. Returns the number of sessions removed. */
  async function deleteUser(id: string): Promise<{ deletedSessions: number }> {
    const result = await storage.deleteUser(id);
    if (!result) throw new NotFoundError('User', id);
    for (const session of result.sessions) deps.publish({ type: 'SESSION_DELETED', session });
    return { deletedSessions: result.sessions.length };
  }

  async function stats(filter: InputOf<'sessionFilter'> = {}): Promise<GlobalStats> {
    const parsed = normalizeFilter(parseInput(inputs.sessionFilter, filter));
    const [totals, userCount] = await Promise.all([storage.getTotals(parsed), storage.countUsers()]);
    return { ...totals, userCount };
  }

  return { upsertUser, getUser, listUsers, deleteUser, stats, countUsers: () => storage.countUsers() };
}
