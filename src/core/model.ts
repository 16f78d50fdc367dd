import type { JsonObject } from './json.js';

export const ROLES = ['SYSTEM', 'USER', 'ASSISTANT', 'TOOL'] as const;
export type Role = (typeof ROLES)[number];

/** What to do when a session already has a run: refuse (the default), wait for it, or cancel it. */
export const RUN_STRATEGIES = ['REJECT', 'ENQUEUE', 'INTERRUPT'] as const;
export type RunStrategy = (typeof RUN_STRATEGIES)[number];

export type RoleCounts = Record<Role, number>;

/** Where a forked session came from: the source session and the last seq copied. */
export interface ForkOrigin {
  sessionId: string;
  seq: number;
}

export interface Session {
  id: string;
  /** The user or tenant the session belongs to; null when created without one. */
  ownerId: string | null;
  title: string | null;
  model: string | null;
  systemPrompt: string | null;
  /** What the application knows about the conversation (customer id, persona…). */
  context: JsonObject;
  /** Free-form labels used for filtering (category, priority, status…). */
  metadata: JsonObject;
  createdAt: Date;
  /** Last change of the session's settings or its messages. */
  updatedAt: Date;
  /** Bumped by every change of the session's own fields (not by appended messages: see lastSeq). */
  version: number;
  messageCount: number;
  /** Seq of the last stored message, 0 for an empty session. Guarded by `expectedSeq` on append. */
  lastSeq: number;
  /** The earliest and the latest createdAt of the session's messages (see applyBatch). */
  firstMessageAt: Date | null;
  lastMessageAt: Date | null;
  messagesByRole: RoleCounts;
  /** Number of user messages immediately followed by an assistant message. */
  exchangeCount: number;
  /** Role of the message with seq = lastSeq, kept so that exchanges can be counted on append. */
  lastRole: Role | null;
  /** The start of the first user message, kept so that listings never load history. */
  preview: string | null;
  forkedFrom: ForkOrigin | null;
  mergedFrom: string[];
  /** The user profile whose profile text goes into this session's prompts (the person the assistant talks with). */
  personaId: string | null;
  /** A summary of the conversation written by the model (summarizeSession); null until asked for. */
  summary: string | null;
  /** The last seq the summary covers. */
  summarizedUpToSeq: number | null;
  /** When retention is configured: the moment the session expires unless it changes again. */
  expiresAt: Date | null;
}

export interface Message {
  id: string;
  sessionId: string;
  /** 1-based position in the session, assigned by the store: unique, strictly increasing, never reused. */
  seq: number;
  role: Role;
  content: string;
  /** Tool or participant name. */
  name: string | null;
  metadata: JsonObject;
  createdAt: Date;
  /** The caller's idempotency key, unique within a session. */
  clientId: string | null;
}

export interface User {
  id: string;
  name: string;
  profile: string | null;
  metadata: JsonObject;
  /** An embedding or persona seed: floats the application gives, stored as they are. */
  vector: number[] | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SessionStats {
  messageCount: number;
  exchangeCount: number;
  messagesByRole: RoleCounts;
  /** The earliest message time (the first message's, unless imported messages go back in time). */
  firstMessageAt: Date | null;
  /** The latest message time. */
  lastMessageAt: Date | null;
  /** Milliseconds from the earliest to the latest message: never negative; 0 with fewer than two messages. */
  durationMs: number;
  preview: string | null;
}

export interface GlobalStats {
  sessionCount: number;
  messageCount: number;
  /** Number of stored user profiles (not narrowed by a session filter). */
  userCount: number;
  messagesByRole: RoleCounts;
  exchangeCount: number;
}

export type MergeOrder = 'CONCATENATE' | 'CHRONOLOGICAL';
export type UpdateMode = 'MERGE' | 'REPLACE';
export type SessionOrderField = 'UPDATED_AT' | 'CREATED_AT';
export type SortDirection = 'ASC' | 'DESC';

export interface SessionOrder {
  field: SessionOrderField;
  direction: SortDirection;
}

/** A session filter: every given criterion must hold. */
export interface SessionFilter {
  ownerId?: string | undefined;
  /**
   * Key-by-key containment on top-level metadata keys: a session matches when, for every key, its
   * metadata value equals the given scalar, or is an array that contains it.
   */
  metadata?: Record<string, string | number | boolean | null> | undefined;
  /** Case-insensitive substring of the title. */
  titleContains?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
  updatedAfter?: Date | undefined;
  updatedBefore?: Date | undefined;
}

export function emptyRoleCounts(): RoleCounts {
  return { SYSTEM: 0, USER: 0, ASSISTANT: 0, TOOL: 0 };
}
