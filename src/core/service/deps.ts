import { randomUUID } from 'node:crypto';
import type { EventSink, SessionEvent } from '../events.js';
import { noEvents } from '../events.js';
import { resolveLimits, type Limits } from '../limits.js';
import type { Message } from '../model.js';
import type { PromptWindow } from '../prompt.js';
import type { ModelProvider } from '../provider.js';
import type { Run, RunChannel } from '../run.js';
import { createInputSchemas, type InputSchemas } from '../schemas.js';
import type { Storage } from '../storage.js';

export interface RunOptions {
  /** Where replies come from; runs fail with NOT_CONFIGURED without one. */
  provider?: ModelProvider | undefined;
  /** Where run events go, and where cancellations from other instances come from. In-process by default. */
  channel?: RunChannel | undefined;
  /** How much history a run sends. */
  window?: Partial<PromptWindow> | undefined;
  /** How long an instance holds a run without renewing it (15 s by default). */
  leaseMs?: number | undefined;
  /** Names this instance in leases (a UUID by default). */
  instanceId?: string | undefined;
  /** Called with failures a run cannot report to anyone else (storage errors, bugs). */
  onError?: ((error: unknown, run: Run) => void) | undefined;
  /** Told when a run of this instance streams its first token and when a run ends (metrics); must not throw. */
  onRunEvent?: ((event: RunObservation) => void) | undefined;
  /**
   * Runs the work of each run this instance runs (from taking its session's slot to handing it
   * over), which resolves with the run as it ended here (null when it never started here, or
   * another instance ended it). Must call `work` once and resolve as it does. Tracing gives each
   * run a span of its own with it. None by default.
   */
  wrapRun?: ((run: Run, work: () => Promise<Run | null>) => Promise<unknown>) | undefined;
}

/** What a run observer learns: the first token (ms after the run left the queue), and every run end with its final state. */
export type RunObservation = { type: 'FIRST_TOKEN'; run: Run; ms: number } | { type: 'ENDED'; run: Run };

export interface SessionServiceOptions {
  storage: Storage;
  /** Receives an event after every successful write. None by default. */
  events?: EventSink | undefined;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<Limits> | undefined;
  /** Sessions expire this many days after their last change. Unset: sessions never expire. */
  retentionDays?: number | null | undefined;
  /** Called when the event sink throws; the write has succeeded regardless. */
  onEventError?: ((error: unknown, event: SessionEvent) => void) | undefined;
  /** The clock (tests). */
  now?: (() => Date) | undefined;
  /** Model provider, run channel, prompt window and leases of runs (see RunOptions). */
  runs?: RunOptions | undefined;
  /** Id generator for sessions, messages, users and runs (tests). UUID v4 by default. */
  newId?: (() => string) | undefined;
}

/** What every part of the service shares. */
export interface ServiceDeps {
  storage: Storage;
  limits: Limits;
  inputs: InputSchemas;
  now(): Date;
  newId(): string;
  /** The expiry of a session changed at `at`, under the retention policy. */
  expiry(at: Date): Date | null;
  publish(event: SessionEvent): void;
  /** Every message of a session up to `uptoSeq`, in seq order, read page by page. */
  readAll(sessionId: string, uptoSeq: number): Promise<Message[]>;
}

const READ_CHUNK = 1000;
const DAY_MS = 86_400_000;

export function createDeps(options: SessionServiceOptions): ServiceDeps {
  const limits = resolveLimits(options.limits);
  const { storage } = options;
  const events: EventSink = options.events ?? noEvents;
  const retentionMs = options.retentionDays ? options.retentionDays * DAY_MS : null;
  return {
    storage,
    limits,
    inputs: createInputSchemas(limits),
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
    expiry: (at) => (retentionMs === null ? null : new Date(at.getTime() + retentionMs)),
    publish(event) {
      try {
        events.publish(event);
      } catch (error) {
        options.onEventError?.(error, event);
      }
    },
    async readAll(sessionId, uptoSeq) {
      const all: Message[] = [];
      let afterSeq = 0;
      for (;;) {
        const page = await storage.listMessages(sessionId, { afterSeq, beforeSeq: uptoSeq + 1, direction: 'ASC', limit: READ_CHUNK });
        all.push(...page);
        const last = page[page.length - 1];
        if (!last || page.length < READ_CHUNK) return all;
        afterSeq = last.seq;
      }
    },
  };
}
