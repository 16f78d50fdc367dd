import { cloneJson, type JsonObject } from '../../src/core/json.js';
import type { Message, Session, User } from '../../src/core/model.js';
import type { MessageDraft } from '../../src/core/storage.js';
import type { MessageRecord } from './message-log.js';

/*
 * Everything crossing the adapter's boundary is copied, in both directions: callers can neither
 * change stored data through an object they passed in nor through one they got back.
 */

const copyDate = (d: Date): Date => new Date(d.getTime());
const copyOptionalDate = (d: Date | null): Date | null => (d === null ? null : copyDate(d));

/**
 * A copy of `s` that is one flat string of its own. V8 may hold a string as a tree of the pieces it
 * was joined from (crypto.randomUUID() returns its 36 characters as about a dozen joined pieces,
 * some 470 bytes of heap instead of 56; a reply joined from streamed deltas keeps one node per
 * delta) or as a view into the longer string it was sliced from, which it keeps alive. Node 20
 * flattened a tree in place when one of its characters was read; Node 24 (V8 13) reads through the
 * tree and leaves it as it is, and a tree flattened in place may still keep its 32-byte root. A
 * structured clone is a new sequential string on both. Strings shorter than 13 characters are
 * never trees or views in V8, so they are kept as they come.
 */
function own(s: string): string {
  return s.length < 13 ? s : structuredClone(s);
}

const ownOrNull = (s: string | null): string | null => (s === null ? null : own(s));

export function cloneSession(s: Session): Session {
  return {
    ...s,
    context: cloneJson(s.context),
    metadata: cloneJson(s.metadata),
    createdAt: copyDate(s.createdAt),
    updatedAt: copyDate(s.updatedAt),
    firstMessageAt: copyOptionalDate(s.firstMessageAt),
    lastMessageAt: copyOptionalDate(s.lastMessageAt),
    messagesByRole: { ...s.messagesByRole },
    forkedFrom: s.forkedFrom && { ...s.forkedFrom },
    mergedFrom: [...s.mergedFrom],
    expiresAt: copyOptionalDate(s.expiresAt),
  };
}

/** The copy the adapter keeps of a session it is given: cloneSession, with strings of its own. */
export function storedSession(s: Session): Session {
  return {
    ...cloneSession(s),
    id: own(s.id),
    ownerId: ownOrNull(s.ownerId),
    title: ownOrNull(s.title),
    model: ownOrNull(s.model),
    systemPrompt: ownOrNull(s.systemPrompt),
    preview: ownOrNull(s.preview),
    personaId: ownOrNull(s.personaId),
    summary: ownOrNull(s.summary),
  };
}

export function cloneUser(u: User): User {
  return { ...u, metadata: cloneJson(u.metadata), vector: u.vector && [...u.vector], createdAt: copyDate(u.createdAt), updatedAt: copyDate(u.updatedAt) };
}

/** The copy the adapter keeps of a user it is given: cloneUser, with strings of its own. */
export function storedUser(u: User): User {
  return { ...cloneUser(u), id: own(u.id), name: own(u.name), profile: ownOrNull(u.profile) };
}

/** Most messages carry no metadata: they share one frozen empty object instead of one each. */
const NO_METADATA: JsonObject = Object.freeze({}) as JsonObject;

export function toRecord(m: MessageDraft, seq: number): MessageRecord {
  return {
    id: own(m.id),
    seq,
    role: m.role,
    content: own(m.content),
    name: ownOrNull(m.name),
    metadata: isEmpty(m.metadata) ? NO_METADATA : cloneJson(m.metadata),
    createdAt: m.createdAt.getTime(),
    clientId: ownOrNull(m.clientId),
  };
}

export function fromRecord(r: MessageRecord, sessionId: string): Message {
  return {
    id: r.id,
    sessionId,
    seq: r.seq,
    role: r.role,
    content: r.content,
    name: r.name,
    metadata: r.metadata === NO_METADATA ? {} : cloneJson(r.metadata),
    createdAt: new Date(r.createdAt),
    clientId: r.clientId,
  };
}

function isEmpty(object: JsonObject): boolean {
  for (const _ in object) return false;
  return true;
}
