import { afterEach, beforeEach } from 'vitest';
import type { Limits } from '../../src/core/limits.js';
import type { Role } from '../../src/core/model.js';
import { createSessionService, type SessionService } from '../../src/core/service/index.js';
import type { Storage } from '../../src/core/storage.js';
import type { InputOf } from '../../src/core/schemas.js';

/** How the contract suite gets an adapter: a fresh, empty storage for every test. */
export interface StorageHarness {
  name: string;
  create(): Promise<Storage>;
}

/** A clock that moves one second forward at every reading, so that every write has its own time. */
export function steppingClock(start = Date.parse('2026-01-01T00:00:00.000Z')) {
  let t = start;
  return () => new Date((t += 1000));
}

export interface ContractContext {
  storage: Storage;
  service: SessionService;
  /** Another service over the same storage, with other limits. */
  serviceWith(limits: Partial<Limits>): SessionService;
}

/** Registers hooks that give each test a new storage and a service over it; read the fields inside tests. */
export function useContract(harness: StorageHarness): ContractContext {
  const ctx = {} as ContractContext;
  beforeEach(async () => {
    const storage = await harness.create();
    const now = steppingClock();
    ctx.storage = storage;
    ctx.service = createSessionService({ storage, now });
    ctx.serviceWith = (limits) => createSessionService({ storage, now, limits });
  });
  afterEach(async () => {
    await ctx.storage.close();
  });
  return ctx;
}

const CYCLE: Role[] = ['USER', 'ASSISTANT'];

/** `count` messages alternating user/assistant, with contents `${prefix}-1`, `${prefix}-2`… */
export function messages(count: number, prefix = 'm', extra: Partial<InputOf<'message'>> = {}): InputOf<'message'>[] {
  return Array.from({ length: count }, (_, i) => ({
    role: CYCLE[i % 2] as Role,
    content: `${prefix}-${i + 1}`,
    ...extra,
  }));
}

/** The seqs of a list of messages. */
export const seqs = (list: readonly { seq: number }[]) => list.map((m) => m.seq);

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
