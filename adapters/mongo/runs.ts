import type { RunStorage } from '../../src/core/run.js';
import type { Store } from './collections.js';

// PLACEHOLDER until the MongoDB run storage lands: every call fails loudly.
export function runStorage(_store: Store): RunStorage {
  const notYet = (): never => {
    throw new Error('Runs are not implemented on MongoDB yet');
  };
  return { createRun: notYet, getRun: notYet, findRunByClientId: notYet, listRuns: notYet, countRuns: notYet, updateRun: notYet, getSlot: notYet, moveSlot: notYet, listExpiredRuns: notYet };
}
