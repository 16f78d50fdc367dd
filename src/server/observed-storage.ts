import type { Storage } from '../core/storage.js';
import { StorageTimeoutError } from '../core/storage-timeout.js';
import type { CallSpan } from './tracing-types.js';

/** How a storage call ended: answered, timed out (STORAGE_TIMEOUT_MS), or failed (a typed refusal included). */
export type StorageOutcome = 'ok' | 'timeout' | 'error';

/** What watches storage calls: metrics count and time them, tracing makes a span of each. */
export interface StorageWatch {
  /** Called as a call starts; what it returns is called once it has ended. */
  start(method: string): (outcome: StorageOutcome, error?: unknown) => void;
}

export const outcomeOf = (error: unknown): StorageOutcome => (error instanceof StorageTimeoutError ? 'timeout' : 'error');

/**
 * The same storage, every call (but close) reported to `watches` when it starts and when it
 * ends. Wraps the storage the service uses (with its timeouts), so that a timeout is seen as one.
 */
export function observeStorage(storage: Storage, watches: StorageWatch[]): Storage {
  if (watches.length === 0) return storage;
  const watch: StorageWatch = watches.length === 1 ? watches[0]! : { start: (method) => each(watches.map((w) => w.start(method))) };
  const observed = {} as Record<string, unknown>;
  for (const key of Object.keys(storage) as (keyof Storage)[]) {
    const method = storage[key] as (...args: unknown[]) => Promise<unknown>;
    if (key === 'close') {
      observed[key] = method.bind(storage);
      continue;
    }
    observed[key] = (...args: unknown[]) => {
      const end = watch.start(key);
      return method.apply(storage, args).then(
        (value) => {
          end('ok');
          return value;
        },
        (error: unknown) => {
          end(outcomeOf(error), error);
          throw error;
        },
      );
    };
  }
  return observed as unknown as Storage;
}

const each =
  (ends: ((outcome: StorageOutcome, error?: unknown) => void)[]) =>
  (outcome: StorageOutcome, error?: unknown) => {
    for (const end of ends) end(outcome, error);
  };

/** Tracing as a storage watch: a span per call, under the active one. */
export function tracedStorage(storageCall: (method: string) => CallSpan): StorageWatch {
  return {
    start(method) {
      const span = storageCall(method);
      return (outcome, error) => span.end(outcome === 'ok' ? undefined : error);
    },
  };
}
