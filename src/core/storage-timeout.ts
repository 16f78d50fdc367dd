import type { Storage } from './storage.js';

/** A storage call that did not answer in time (the work may still complete in the store). */
export class StorageTimeoutError extends Error {
  override name = 'StorageTimeoutError';
}

/**
 * The same storage, with every call failing after `ms` instead of holding its request forever.
 * A write that timed out may still land: callers retry with the same clientId, which is safe.
 */
export function withTimeouts(storage: Storage, ms: number): Storage {
  const guarded = {} as Record<string, unknown>;
  for (const key of Object.keys(storage) as (keyof Storage)[]) {
    const method = storage[key] as (...args: unknown[]) => Promise<unknown>;
    guarded[key] = key === 'close' ? method.bind(storage) : (...args: unknown[]) => timed(method.apply(storage, args), ms, key);
  }
  return guarded as unknown as Storage;
}

/** `promise`, or a StorageTimeoutError naming `storage.<what>` once `ms` have passed. */
export function timed<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(`storage.${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
