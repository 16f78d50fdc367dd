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
 * The same string, stored flat. V8 may hold a string as a tree of the pieces it was concatenated
 * from: crypto.randomUUID() returns its 36 characters as about 20 pieces, some 490 bytes of heap
 * instead of 56. Reading a character flattens the string in place, and the next GC drops the
 * pieces. Kept strings go through here; for a string that is already flat it costs next to nothing.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function cloneSession(s: Session): Session {
  return {
    ...s,
    id: flat(s.id),
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

export function cloneUser(u: User): User {
  return { ...u, metadata: cloneJson(u.metadata), vector: u.vector && [...u.vector], createdAt: copyDate(u.createdAt), updatedAt: copyDate(u.updatedAt) };
}

/** Most messages carry no metadata: they share one frozen empty object instead of one each. */
const NO_METADATA: JsonObject = Object.freeze({}) as JsonObject;

export function toRecord(m: MessageDraft, seq: number): MessageRecord {
  return {
    id: flat(m.id),
    seq,
    role: m.role,
    content: flat(m.content),
    name: m.name,
    metadata: isEmpty(m.metadata) ? NO_METADATA : cloneJson(m.metadata),
    createdAt: m.createdAt.getTime(),
    clientId: m.clientId === null ? null : flat(m.clientId),
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
