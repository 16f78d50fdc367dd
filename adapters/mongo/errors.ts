import { MongoServerError } from 'mongodb';

/** Whether the server refused a write because a unique index already holds the key. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** Runs `cleanup` after a failure, keeping the original error if the cleanup fails too. */
export async function withCleanup<T>(run: () => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}
