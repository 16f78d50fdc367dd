import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../src/core/redact.js';
import { createMongoStorage, type MongoStorage, type MongoStorageOptions } from './index.js';
import { MongoSettingsError, oneLine } from './settings.js';

/** How connectMongoStorage waits for a MongoDB that is not up yet. */
export interface ConnectRetryOptions {
  /** Receives one line per failed attempt (no stack trace). Default: console.warn. */
  log?: ((line: string) => void) | undefined;
  /** Attempts before giving up; Infinity never gives up. Default: 10. */
  attempts?: number | undefined;
  /** The pause after the first failed attempt, doubled after each further one. Default: 500 ms. */
  initialDelayMs?: number | undefined;
  /** The longest pause between two attempts. Default: 30 s. */
  maxDelayMs?: number | undefined;
  /** Stops waiting (for a shutdown during start-up): the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * createMongoStorage for a server's start-up: when MongoDB cannot be reached (or refuses the
 * start-up work), tries again with exponential backoff (a MongoSettingsError fails at once), logging one line per failed attempt, and
 * rejects with a one-line message after the last one. Each attempt waits for a server at most
 * `serverSelectionTimeoutMS`, 5 s here unless `clientOptions` says otherwise.
 */
export async function connectMongoStorage(options: MongoStorageOptions, retry: ConnectRetryOptions = {}): Promise<MongoStorage> {
  const log = retry.log ?? ((line: string) => console.warn(line));
  const attempts = retry.attempts ?? 10;
  const maxDelayMs = retry.maxDelayMs ?? 30_000;
  const where = options.uri ? `MongoDB at ${redactUrl(options.uri)}` : 'MongoDB';
  const attemptOptions: MongoStorageOptions = options.uri
    ? { ...options, clientOptions: { serverSelectionTimeoutMS: 5_000, ...options.clientOptions } }
    : options;
  let delay = retry.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    retry.signal?.throwIfAborted();
    try {
      return await createMongoStorage(attemptOptions);
    } catch (error) {
      if (error instanceof MongoSettingsError) throw error; // configuration, not an outage
      const reason = oneLine(error);
      const of = Number.isFinite(attempts) ? ` of ${attempts}` : '';
      if (attempt >= attempts) {
        log(`${where} is not reachable (attempt ${attempt}${of}): ${reason}; giving up`);
        throw new Error(`${where} is not reachable after ${attempt} attempts: ${reason}`, { cause: error });
      }
      log(`${where} is not reachable (attempt ${attempt}${of}): ${reason}; retrying in ${formatDelay(delay)}`);
      await sleep(delay, undefined, { signal: retry.signal }).catch(() => retry.signal?.throwIfAborted());
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}


function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
