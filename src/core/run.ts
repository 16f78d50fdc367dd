import type { Message } from './model.js';
import { MODEL_ERROR_CODES, type FinishReason, type Usage } from './provider.js';

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these statuses is over: it never changes status again. */
export const FINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING'];

export { RUN_STRATEGIES, type RunStrategy } from './model.js';

/** Why a run failed: the provider's reason, or one of Parley's own. */
export const RUN_ERROR_CODES = [...MODEL_ERROR_CODES, 'LEASE_EXPIRED', 'RUN_TIMEOUT', 'SERVER_STOPPED', 'INTERNAL'] as const;
/**
 * Why a run failed: the provider's reason, or one of Parley's own: LEASE_EXPIRED (the instance
 * running it stopped answering), RUN_TIMEOUT (RUN_TIMEOUT_MS passed), SERVER_STOPPED (its instance
 * was shut down), INTERNAL (a bug or a storage failure; logged).
 */
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

export interface RunError {
  code: RunErrorCode;
  message: string;
}

/** The request's settings, as the caller gave them (null: the session's or the provider's default). */
export interface RunSettings {
  model: string | null;
  maxOutputTokens: number | null;
  temperature: number | null;
}

/** One model turn in a session. */
export interface Run {
  id: string;
  sessionId: string;
  /** The session's owner when the run was created (per-owner limits, tenancy). */
  ownerId: string | null;
  status: RunStatus;
  settings: RunSettings;
  /** The caller's idempotency key, unique within a session: a retry returns the run it started. */
  clientId: string | null;
  /** Seq of the message the run answers: the session's last message when it was created. */
  inputSeq: number;
  /** Seq of the assistant message the run stored; null while running, or when it stored nothing. */
  outputSeq: number | null;
  /** The model that answered, as the provider names it. */
  model: string | null;
  finishReason: FinishReason | null;
  usage: Usage | null;
  error: RunError | null;
  /** Set by cancelRun while the run is RUNNING: the instance running it stops it and marks it CANCELLED. */
  cancelRequested: boolean;
  /** Reply events published so far (the offset of the last one); final once the run is over. */
  eventCount: number;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  /** The instance running it and until when it holds the run; another instance fails it after that. */
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** Bumped by every change. */
  version: number;
}

/** The fields of a run that an update may set. */
export type RunChanges = Partial<
  Pick<
    Run,
    | 'status'
    | 'outputSeq'
    | 'model'
    | 'finishReason'
    | 'usage'
    | 'error'
    | 'cancelRequested'
    | 'eventCount'
    | 'startedAt'
    | 'endedAt'
    | 'leaseOwner'
    | 'leaseExpiresAt'
  >
>;

export interface RunFilter {
  sessionId?: string | undefined;
  ownerId?: string | undefined;
  /** Any of these statuses; all when absent. */
  statuses?: readonly RunStatus[] | undefined;
}

export interface RunQuery {
  filter: RunFilter;
  /** Oldest first (ASC) or newest first (DESC), by createdAt then id. */
  direction: 'ASC' | 'DESC';
  /** Only runs strictly after this one in `direction`. */
  after?: { at: Date; id: string } | undefined;
  limit: number;
}

/**
 * The runs part of the storage contract (test/contract/runs.ts).
 * Runs belong to their session: removing a session removes its runs and frees its slot.
 */
export interface RunStorage {
  /**
   * Stores a new run. When `run.clientId` is set and a run of the same session has it already,
   * stores nothing and returns that run with created: false (also when two calls race).
   * Throws NotFoundError when the session does not exist, ConflictError(ID_TAKEN) when the id does.
   */
  createRun(run: Run): Promise<{ run: Run; created: boolean }>;

  /** The run, or null. */
  getRun(id: string): Promise<Run | null>;

  /** The session's run created with this clientId, or null. */
  findRunByClientId(sessionId: string, clientId: string): Promise<Run | null>;

  /** Up to `limit` runs matching the filter, ordered by (createdAt, id) in `direction`. */
  listRuns(query: RunQuery): Promise<Run[]>;

  /** How many runs match the filter. */
  countRuns(filter: RunFilter): Promise<number>;

  /**
   * Applies `changes` and bumps `version`, in one atomic step, when the run's status is one of
   * `expectedStatuses` (and its version equals `expectedVersion` when given). Returns the run
   * after the change, or null when a condition does not hold (nothing is changed then).
   * Throws NotFoundError when there is no such run.
   */
  updateRun(id: string, changes: RunChanges, conditions: { expectedStatuses: readonly RunStatus[]; expectedVersion?: number | undefined }): Promise<Run | null>;

  /** The id of the run holding the session's slot (its one active run), or null. */
  getSlot(sessionId: string): Promise<string | null>;

  /**
   * Moves the session's slot from `from` to `to` (null: free) when it is held by `from`, atomically:
   * claim with (null, id), hand over with (id, next), release with (id, null). Returns whether it
   * moved. Claiming the slot of a session that does not exist returns false.
   */
  moveSlot(sessionId: string, from: string | null, to: string | null): Promise<boolean>;

  /** Up to `limit` RUNNING runs whose lease expired before `now`, oldest lease first. */
  listExpiredRuns(now: Date, limit: number): Promise<Run[]>;
}

/**
 * What a run's subscribers receive, with dense offsets from 1: the reply's text in pieces (DELTA),
 * and exactly one END last, with the run as it ended and the assistant message it stored, if any.
 */
export type RunEvent =
  | { type: 'DELTA'; runId: string; offset: number; text: string }
  | { type: 'END'; runId: string; offset: number; run: Run; message: Message | null };

/**
 * Where runs send their events and learn of cancellations from other instances. In-process by
 * default; shared between instances by the live layer (Redis).
 */
export interface RunChannel {
  /**
   * Appends the event to its run's log and delivers it; must not throw. Called in offset order by
   * the instance running the run. An END whose offset is taken (a sweep ending a run whose
   * instance published more than the sweep knew of) goes right after the last event instead. A
   * DELTA whose offset is taken, and anything after the END, is dropped: its writer lost the run.
   */
  publish(event: RunEvent): void;
  /** The offset of the last event published for the run by any instance (0 for none). */
  lastOffset(runId: string): Promise<number>;
  /** Asks whichever instance runs `runId` to stop it now. */
  requestCancel(runId: string): void;
  /** Called with the id of every run some instance asked to cancel. Returns the unsubscribe. */
  onCancel(listener: (runId: string) => void): () => void;
}
