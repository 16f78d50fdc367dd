import type { MongoMemoryServer } from 'mongodb-memory-server';

/** Where the Mongo test suites get their server from; `uri` is null when there is none. */
export interface MongoTarget {
  uri: string | null;
  /** Where the server came from, or why there is none. */
  description: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongo: MongoTarget;
  }
}

/**
 * In this order: MONGODB_URI (an external server, used as is: if it is unreachable the suites
 * fail); else a mongod started by mongodb-memory-server, which uses MONGOMS_SYSTEM_BINARY when set
 * and otherwise downloads a binary; else none, and the Mongo suites report themselves skipped.
 * The download is tried once (MONGOMS_MAX_RETRIES=1 unless set), so that a machine without
 * internet learns within a second or so that there is no MongoDB, not after minutes of retries.
 */
export async function findMongo(): Promise<{ target: MongoTarget; stop: () => Promise<void> }> {
  const external = process.env.MONGODB_URI;
  if (external) return { target: { uri: external, description: 'MONGODB_URI' }, stop: async () => {} };
  const started = await startMongod();
  if ('reason' in started) {
    return {
      target: { uri: null, description: `no MongoDB: MONGODB_URI is not set and mongodb-memory-server could not start a mongod (${started.reason})` },
      stop: async () => {},
    };
  }
  const { server } = started;
  const binary = process.env.MONGOMS_SYSTEM_BINARY ? `MONGOMS_SYSTEM_BINARY=${process.env.MONGOMS_SYSTEM_BINARY}` : 'downloaded mongod';
  return {
    target: { uri: server.getUri(), description: `mongodb-memory-server (${binary})` },
    stop: async () => {
      await server.stop();
    },
  };
}

/**
 * A mongod of the caller's own from mongodb-memory-server (MONGOMS_SYSTEM_BINARY, else a download,
 * tried once unless MONGOMS_MAX_RETRIES says otherwise), or the one-line reason there is none.
 */
export async function startMongod(): Promise<{ server: MongoMemoryServer } | { reason: string }> {
  process.env.MONGOMS_MAX_RETRIES ??= '1';
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    return { server: await quietly(() => MongoMemoryServer.create()) };
  } catch (error) {
    return { reason: (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim() };
  }
}

/**
 * Runs `start` without mongodb-memory-server's own warning, which prints the failure's whole stack
 * (the reason is reported once, in the skip message). MONGOMS_DEBUG=1 shows everything.
 */
async function quietly<T>(start: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('Starting the MongoMemoryServer Instance failed')) warn(...args);
  };
  try {
    return await start();
  } finally {
    console.warn = warn;
  }
}
