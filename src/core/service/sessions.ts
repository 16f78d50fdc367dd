import { parseSessionCursor, sessionCursor } from '../cursor.js';
import { ConflictError, NotFoundError, ValidationError, versionConflict, type Problem } from '../errors.js';
import { checkJsonObject, cloneJson, isPlainObject, setKey, type JsonObject, type JsonValue } from '../json.js';
import type { LimitName, Limits } from '../limits.js';
import type { Message, Session, SessionFilter, SessionOrder } from '../model.js';
import { toConnection, type Connection } from '../pagination.js';
import type { InputOf, ParsedOf } from '../schemas.js';
import { countersOf } from '../stats.js';
import type { SessionChanges } from '../storage.js';
import { errorFromProblems, parseInput } from '../validate.js';
import type { ServiceDeps } from './deps.js';

export const DEFAULT_ORDER: SessionOrder = { field: 'UPDATED_AT', direction: 'DESC' };

/** Retries of a MERGE update that lost a race against another writer, before giving up. */
const MERGE_ATTEMPTS = 32;

export function sessionOperations(deps: ServiceDeps) {
  const { storage, inputs } = deps;

  async function getSession(id: string): Promise<Session> {
    const session = await storage.getSession(id);
    if (!session) throw new NotFoundError('Session', id);
    return session;
  }

  async function listSessions(input: InputOf<'listSessions'> = {}): Promise<Connection<Session>> {
    const args = parseInput(inputs.listSessions, input);
    const filter = normalizeFilter(args.filter);
    const order: SessionOrder = args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction ?? 'DESC' } : DEFAULT_ORDER;
    const first = args.first ?? deps.limits.defaultPageSize;
    const after = args.after ? parseSessionCursor(args.after, order, ['after']) : undefined;
    const rows = await storage.listSessions({ filter, order, after, limit: first + 1 });
    const items = rows.slice(0, first);
    const hasPreviousPage = after
      ? (await storage.listSessions({ filter, order: reverse(order), after, limit: 1 })).length > 0
      : false;
    return toConnection(items, (s) => sessionCursor(s, order), { hasNextPage: rows.length > first, hasPreviousPage });
  }

  async function countSessions(filter: InputOf<'sessionFilter'> = {}): Promise<number> {
    return storage.countSessions(normalizeFilter(parseInput(inputs.sessionFilter, filter)));
  }

  /** A persona must be a stored user profile. */
  async function checkPersona(personaId: string | null | undefined): Promise<void> {
    if (personaId == null || (await storage.getUser(personaId))) return;
    throw new ValidationError([{ path: ['personaId'], message: 'No user profile has this id' }]);
  }

  async function updateSession(id: string, input: InputOf<'updateSession'>): Promise<Session> {
    const args = parseInput(inputs.updateSession, input);
    await checkPersona(args.personaId);
    const { mode, expectedVersion, ...fields } = args;
    const needsCurrent = (mode ?? 'MERGE') === 'MERGE' && (fields.metadata !== undefined || fields.context !== undefined);
    for (let attempt = 1; ; attempt++) {
      const current = needsCurrent ? await getSession(id) : null;
      if (current && expectedVersion != null && current.version !== expectedVersion) {
        throw versionConflict(expectedVersion, current.version);
      }
      const changes = current ? mergeChanges(current, fields, deps.limits) : replaceChanges(fields);
      const at = deps.now();
      try {
        const session = await storage.updateSession(id, changes, {
          expectedVersion: expectedVersion ?? current?.version ?? null,
          at,
          expiresAt: deps.expiry(at),
        });
        deps.publish({ type: 'SESSION_UPDATED', session });
        return session;
      } catch (error) {
        const lostRace = error instanceof ConflictError && current && expectedVersion == null;
        if (!lostRace || attempt >= MERGE_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
  }

  async function deleteSession(id: string): Promise<Session> {
    const session = await storage.deleteSession(id);
    if (!session) throw new NotFoundError('Session', id);
    deps.publish({ type: 'SESSION_DELETED', session });
    return session;
  }

  /** Stores a fully built session with its messages and announces it. */
  async function storeNew(session: Session, messages: Message[]): Promise<Session> {
    const stored = await storage.createSession({ ...session, ...countersOf(messages) }, messages);
    deps.publish({ type: 'SESSION_CREATED', session: stored });
    return stored;
  }

  async function createSession(input: InputOf<'createSession'> = {}): Promise<Session> {
    const args = parseInput(inputs.createSession, input);
    await checkPersona(args.personaId);
    const now = deps.now();
    const id = args.id ?? deps.newId();
    const messages: Message[] = (args.messages ?? []).map((m, i) => ({
      id: deps.newId(),
      sessionId: id,
      seq: i + 1,
      role: m.role,
      content: m.content,
      name: m.name ?? null,
      metadata: m.metadata ?? {},
      createdAt: now,
      clientId: m.clientId ?? null,
    }));
    return storeNew(
      {
        ...blankSession(id, now, deps.expiry(now)),
        ownerId: args.ownerId ?? null,
        title: args.title ?? null,
        model: args.model ?? null,
        systemPrompt: args.systemPrompt ?? null,
        context: args.context ?? {},
        metadata: args.metadata ?? {},
        personaId: args.personaId ?? null,
      },
      messages,
    );
  }

  /** How many sessions each owner has, in the order of `ownerIds`, in one storage call. */
  async function countSessionsByOwner(ownerIds: readonly string[]): Promise<number[]> {
    return ownerIds.length === 0 ? [] : storage.countSessionsByOwner(ownerIds);
  }

  return { getSession, listSessions, countSessions, countSessionsByOwner, createSession, updateSession, deleteSession, storeNew };
}

/** A session with no settings, no messages and no lineage. */
export function blankSession(id: string, now: Date, expiresAt: Date | null): Session {
  return {
    id,
    ownerId: null,
    title: null,
    model: null,
    systemPrompt: null,
    context: {},
    metadata: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...countersOf([]),
    forkedFrom: null,
    mergedFrom: [],
    personaId: null,
    summary: null,
    summarizedUpToSeq: null,
    expiresAt,
  };
}

type SettingsFields = Omit<InputOf<'updateSession'>, 'mode' | 'expectedVersion'>;

function replaceChanges(fields: SettingsFields): SessionChanges {
  const changes: SessionChanges = {};
  if (fields.title !== undefined) changes.title = fields.title;
  if (fields.model !== undefined) changes.model = fields.model;
  if (fields.systemPrompt !== undefined) changes.systemPrompt = fields.systemPrompt;
  if (fields.context !== undefined) changes.context = fields.context ?? {};
  if (fields.metadata !== undefined) changes.metadata = fields.metadata ?? {};
  if (fields.personaId !== undefined) changes.personaId = fields.personaId;
  return changes;
}

/** MERGE applies metadata and context as JSON merge patches (RFC 7396): null removes a key. */
function mergeChanges(current: Session, fields: SettingsFields, limits: Limits): SessionChanges {
  const changes = replaceChanges(fields);
  const problems: (Problem & { max?: number })[] = [];
  for (const kind of ['metadata', 'context'] as const) {
    const patch = fields[kind];
    if (patch == null) continue;
    const merged = mergePatch(current[kind], patch) as JsonObject;
    const [bytes, keys] = kind === 'metadata' ? (['maxMetadataBytes', 'maxMetadataKeys'] as const) : (['maxContextBytes', 'maxContextKeys'] as const);
    for (const p of checkJsonObject(merged, {
      maxDepth: limits.maxJsonDepth,
      maxKeys: { name: keys, max: limits[keys] },
      maxBytes: { name: bytes, max: limits[bytes] },
    })) {
      const limit = p.limit && { limit: p.limit.name as LimitName, max: p.limit.max };
      problems.push({ path: [kind, ...p.path], message: `After merging: ${p.message}`, ...limit });
    }
    changes[kind] = merged;
  }
  if (problems.length > 0) throw errorFromProblems(problems);
  return changes;
}

/** A short random pause, growing with the attempt, so racing writers spread out. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
}

export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return cloneJson(patch);
  // Spread defines own properties, so a "__proto__" key stays a plain key; nested values are
  // copied below where the patch reaches them and shared where it does not (the caller's copy).
  const result: JsonObject = isPlainObject(target) ? { ...(target as JsonObject) } : {};
  for (const [key, value] of Object.entries(patch as JsonObject)) {
    if (value === null) delete result[key];
    else setKey(result, key, mergePatch(Object.hasOwn(result, key) ? (result[key] as JsonValue) : null, value));
  }
  return result;
}

export function normalizeFilter(filter: ParsedOf<'sessionFilter'> | null | undefined): SessionFilter {
  if (!filter) return {};
  const out: SessionFilter = {};
  if (filter.ownerId != null) out.ownerId = filter.ownerId;
  if (filter.metadata != null && Object.keys(filter.metadata).length > 0) out.metadata = filter.metadata;
  if (filter.titleContains != null && filter.titleContains !== '') out.titleContains = filter.titleContains;
  if (filter.createdAfter != null) out.createdAfter = filter.createdAfter;
  if (filter.createdBefore != null) out.createdBefore = filter.createdBefore;
  if (filter.updatedAfter != null) out.updatedAfter = filter.updatedAfter;
  if (filter.updatedBefore != null) out.updatedBefore = filter.updatedBefore;
  return out;
}

function reverse(order: SessionOrder): SessionOrder {
  return { field: order.field, direction: order.direction === 'ASC' ? 'DESC' : 'ASC' };
}

