import { MAX_INT } from './bounds.js';

/** Configurable limits. Every one of them is named in the error a caller gets when exceeding it. */
export interface Limits {
  /** Characters in a message's content and in a system prompt. */
  maxContentLength: number;
  /** Messages stored in one session. */
  maxMessagesPerSession: number;
  /** Messages in one append call (and initial messages of a new session). */
  maxBatchSize: number;
  /** Characters in a session title. */
  maxTitleLength: number;
  /** Characters in a name: message name, model, user name. */
  maxNameLength: number;
  /** Characters in a user profile. */
  maxProfileLength: number;
  /** Characters in a caller-chosen id or clientId. */
  maxIdLength: number;
  /** Bytes of a metadata object serialised as JSON. */
  maxMetadataBytes: number;
  /** Keys, counted at every depth, in a metadata object. */
  maxMetadataKeys: number;
  /** Bytes of a session's context serialised as JSON. */
  maxContextBytes: number;
  /** Keys, counted at every depth, in a session's context. */
  maxContextKeys: number;
  /** Nesting depth of metadata and context. */
  maxJsonDepth: number;
  /** `first` / `last` of any page. */
  maxPageSize: number;
  /** Page size when the caller gives neither `first` nor `last`. */
  defaultPageSize: number;
  /** Source sessions in one merge. */
  maxMergeSources: number;
  /** User messages sent with sendMessage to one session (its turns). */
  maxTurnsPerSession: number;
  /** Numbers in a user's vector. */
  maxVectorLength: number;
  /** Turns simulateTurns writes in one call. */
  maxSimulatedTurns: number;
  /** Runs queued or running on one instance at a time. */
  maxRunsPerInstance: number;
  /** Runs queued or running for one owner at a time, over all instances. */
  maxRunsPerOwner: number;
  /** Tokens a run may generate; a run asking for more gets this many. */
  maxOutputTokens: number;
  /** Milliseconds a run may take, from its start to its last token. */
  runTimeoutMs: number;
}

export type LimitName = keyof Limits;

/** A limit's name in upper snake case, as its environment variable and GraphQL enum value: maxContentLength → MAX_CONTENT_LENGTH. */
export const limitConstant = (name: LimitName): string => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxContentLength: 100_000,
  maxMessagesPerSession: 100_000,
  maxBatchSize: 500,
  maxTitleLength: 500,
  maxNameLength: 200,
  maxProfileLength: 10_000,
  maxIdLength: 128,
  maxMetadataBytes: 16_384,
  maxMetadataKeys: 128,
  maxContextBytes: 65_536,
  maxContextKeys: 512,
  maxJsonDepth: 8,
  maxPageSize: 100,
  defaultPageSize: 20,
  maxMergeSources: 20,
  maxTurnsPerSession: 1000,
  maxVectorLength: 4096,
  maxSimulatedTurns: 20,
  maxRunsPerInstance: 200,
  maxRunsPerOwner: 20,
  maxOutputTokens: 4096,
  runTimeoutMs: 300_000,
});

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_INT) {
      throw new RangeError(`Limit ${name} must be a positive integer of at most ${MAX_INT}, got ${String(value)}`);
    }
  }
  if (limits.defaultPageSize > limits.maxPageSize) {
    throw new RangeError('Limit defaultPageSize must not exceed maxPageSize');
  }
  return limits;
}
