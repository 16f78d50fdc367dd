import type { ObjectId } from 'mongodb';
import type { JsonObject } from '../../src/core/json.js';
import type { Message, Role, Session, User } from '../../src/core/model.js';
import type { Run } from '../../src/core/run.js';
import { fromStoredJson, toStoredJson } from './json-keys.js';

/*
 * The stored shapes. A session document carries, besides the Session fields, the bookkeeping of
 * the append protocol (see append.ts): `key`, `visibleSeq`, `pending` and `aborted`. Messages
 * point at their session's `key`, never at its id, so the messages of a deleted (or expired)
 * session can never show up in a new session that reuses the id.
 */

/** An append whose seqs are reserved but whose messages may not be readable yet. */
export interface PendingBatch {
  /** The batch token: the staged messages of the batch carry it in `batch`. */
  t: string;
  from: number;
  to: number;
  /** When the batch was committed (the adapter's clock), to spot batches whose writer died. */
  at: Date;
  /** Set once the batch's messages carry their seqs. */
  done?: boolean;
}

/**
 * A session as stored in `sessions`: the Session fields (the id as `_id`; a null expiresAt never
 * expires, the TTL monitor ignores it) and the bookkeeping of the append protocol.
 */
export interface SessionDoc extends Omit<Session, 'id'> {
  _id: string;
  /** Random per incarnation of the id; the messages' `session` field holds it. */
  key: string;
  /** Readers see messages with seq <= visibleSeq only: every seq up to it is stored. */
  visibleSeq: number;
  /** Committed batches above visibleSeq, in seq order. */
  pending: PendingBatch[];
  /** Tokens of staged batches that another writer gave up on (the last few only). */
  aborted: string[];
}

/** A message as stored in `messages`: published (with a seq) or staged (with a batch token). */
export interface MessageDoc {
  _id?: ObjectId;
  /** The `key` of the session. */
  session: string;
  /** Absent while the message is staged. */
  seq?: number;
  id: string;
  role: Role;
  content: string;
  name: string | null;
  metadata: JsonObject;
  createdAt: Date;
  /** Absent when the caller gave none, so that such messages stay out of the clientId index. */
  clientId?: string;
  /** While staged: the batch token, the position in the batch and when it was staged. */
  batch?: string;
  idx?: number;
  stagedAt?: Date;
}

/** A user as stored in `users`. */
export interface UserDoc {
  _id: string;
  name: string;
  profile: string | null;
  metadata: JsonObject;
  vector?: number[] | null;
  createdAt: Date;
  updatedAt: Date;
}

const copyDate = (d: Date): Date => new Date(d.getTime());
const optionalDate = (d: Date | null | undefined): Date | null => (d ? copyDate(d) : null);

/** A new session's document, under session key `key`, all of its messages visible. */
export function toSessionDoc(session: Session, key: string): SessionDoc {
  return {
    _id: session.id,
    key,
    ownerId: session.ownerId,
    title: session.title,
    model: session.model,
    systemPrompt: session.systemPrompt,
    context: toStoredJson(session.context),
    metadata: toStoredJson(session.metadata),
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    version: session.version,
    messageCount: session.messageCount,
    lastSeq: session.lastSeq,
    firstMessageAt: session.firstMessageAt,
    lastMessageAt: session.lastMessageAt,
    messagesByRole: { ...session.messagesByRole },
    exchangeCount: session.exchangeCount,
    lastRole: session.lastRole,
    preview: session.preview,
    forkedFrom: session.forkedFrom && { sessionId: session.forkedFrom.sessionId, seq: session.forkedFrom.seq },
    mergedFrom: [...session.mergedFrom],
    personaId: session.personaId,
    summary: session.summary,
    summarizedUpToSeq: session.summarizedUpToSeq,
    expiresAt: session.expiresAt,
    visibleSeq: session.lastSeq,
    pending: [],
    aborted: [],
  };
}

/** The Session of a stored document: new objects throughout, no driver type, no bookkeeping. */
export function fromSessionDoc(doc: SessionDoc): Session {
  return {
    id: doc._id,
    ownerId: doc.ownerId ?? null,
    title: doc.title ?? null,
    model: doc.model ?? null,
    systemPrompt: doc.systemPrompt ?? null,
    context: fromStoredJson(doc.context),
    metadata: fromStoredJson(doc.metadata),
    createdAt: copyDate(doc.createdAt),
    updatedAt: copyDate(doc.updatedAt),
    version: doc.version,
    messageCount: doc.messageCount,
    lastSeq: doc.lastSeq,
    firstMessageAt: optionalDate(doc.firstMessageAt),
    lastMessageAt: optionalDate(doc.lastMessageAt),
    messagesByRole: {
      SYSTEM: doc.messagesByRole.SYSTEM,
      USER: doc.messagesByRole.USER,
      ASSISTANT: doc.messagesByRole.ASSISTANT,
      TOOL: doc.messagesByRole.TOOL,
    },
    exchangeCount: doc.exchangeCount,
    lastRole: doc.lastRole ?? null,
    preview: doc.preview ?? null,
    forkedFrom: doc.forkedFrom ? { sessionId: doc.forkedFrom.sessionId, seq: doc.forkedFrom.seq } : null,
    mergedFrom: [...(doc.mergedFrom ?? [])],
    // Documents written before these fields existed have none.
    personaId: doc.personaId ?? null,
    summary: doc.summary ?? null,
    summarizedUpToSeq: doc.summarizedUpToSeq ?? null,
    expiresAt: optionalDate(doc.expiresAt),
  };
}

/** A message as stored; `seq` undefined gives a staged message. */
export function toMessageDoc(
  message: Omit<Message, 'seq' | 'sessionId'>,
  sessionKey: string,
  seq: number | undefined,
): MessageDoc {
  const doc: MessageDoc = {
    session: sessionKey,
    id: message.id,
    role: message.role,
    content: message.content,
    name: message.name,
    metadata: toStoredJson(message.metadata),
    createdAt: message.createdAt,
  };
  if (seq !== undefined) doc.seq = seq;
  if (message.clientId !== null) doc.clientId = message.clientId;
  return doc;
}

/** The Message of a stored (published) message document. */
export function fromMessageDoc(doc: MessageDoc, sessionId: string): Message {
  return {
    id: doc.id,
    sessionId,
    seq: doc.seq ?? 0,
    role: doc.role,
    content: doc.content,
    name: doc.name ?? null,
    metadata: fromStoredJson(doc.metadata),
    createdAt: copyDate(doc.createdAt),
    clientId: doc.clientId ?? null,
  };
}

/** A user's document. */
export function toUserDoc(user: User): UserDoc {
  return {
    _id: user.id,
    name: user.name,
    profile: user.profile,
    metadata: toStoredJson(user.metadata),
    vector: user.vector && [...user.vector],
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** The User of a stored document. */
export function fromUserDoc(doc: UserDoc): User {
  return {
    id: doc._id,
    name: doc.name,
    profile: doc.profile ?? null,
    metadata: fromStoredJson(doc.metadata),
    vector: doc.vector ? [...doc.vector] : null,
    createdAt: copyDate(doc.createdAt),
    updatedAt: copyDate(doc.updatedAt),
  };
}

/**
 * A run as stored in `runs`: the Run fields (the id as `_id`) and `sessionKey`, the `key` of the
 * session incarnation it belongs to. A session removed by the TTL monitor leaves its runs behind
 * until sweep(); the key tells them apart from those of a new session that reuses the id.
 */
export interface RunDoc extends Omit<Run, 'id'> {
  _id: string;
  sessionKey: string;
}

/** The slot of a session (`_id`: its id), held by run `runId`; absent while free. */
export interface RunSlotDoc {
  _id: string;
  runId: string;
  /** The `key` of the session incarnation that claimed it. */
  sessionKey: string;
}

/** A new run's document, in session incarnation `sessionKey`. */
export function toRunDoc(run: Run, sessionKey: string): RunDoc {
  return {
    _id: run.id,
    sessionKey,
    sessionId: run.sessionId,
    ownerId: run.ownerId,
    status: run.status,
    settings: { model: run.settings.model, maxOutputTokens: run.settings.maxOutputTokens, temperature: run.settings.temperature },
    clientId: run.clientId,
    inputSeq: run.inputSeq,
    outputSeq: run.outputSeq,
    model: run.model,
    finishReason: run.finishReason,
    usage: run.usage && { promptTokens: run.usage.promptTokens, completionTokens: run.usage.completionTokens },
    error: run.error && { code: run.error.code, message: run.error.message },
    cancelRequested: run.cancelRequested,
    eventCount: run.eventCount,
    createdAt: copyDate(run.createdAt),
    startedAt: optionalDate(run.startedAt),
    endedAt: optionalDate(run.endedAt),
    leaseOwner: run.leaseOwner,
    leaseExpiresAt: optionalDate(run.leaseExpiresAt),
    version: run.version,
  };
}

/** The Run of a stored document: new objects throughout, no bookkeeping. */
export function fromRunDoc(doc: RunDoc): Run {
  return {
    id: doc._id,
    sessionId: doc.sessionId,
    ownerId: doc.ownerId ?? null,
    status: doc.status,
    settings: {
      model: doc.settings?.model ?? null,
      maxOutputTokens: doc.settings?.maxOutputTokens ?? null,
      temperature: doc.settings?.temperature ?? null,
    },
    clientId: doc.clientId ?? null,
    inputSeq: doc.inputSeq,
    outputSeq: doc.outputSeq ?? null,
    model: doc.model ?? null,
    finishReason: doc.finishReason ?? null,
    usage: doc.usage ? { promptTokens: doc.usage.promptTokens, completionTokens: doc.usage.completionTokens } : null,
    error: doc.error ? { code: doc.error.code, message: doc.error.message } : null,
    cancelRequested: doc.cancelRequested === true,
    eventCount: doc.eventCount ?? 0,
    createdAt: copyDate(doc.createdAt),
    startedAt: optionalDate(doc.startedAt),
    endedAt: optionalDate(doc.endedAt),
    leaseOwner: doc.leaseOwner ?? null,
    leaseExpiresAt: optionalDate(doc.leaseExpiresAt),
    version: doc.version,
  };
}
