import { describe } from 'vitest';
import { exchangeContract } from './exchange.js';
import { useContract, type StorageHarness } from './harness.js';
import { lineageContract } from './lineage.js';
import { messageContract } from './messages.js';
import { runContract } from './runs.js';
import { sessionContract } from './sessions.js';
import { userContract } from './users.js';
import { validationContract } from './validation.js';

/**
 * The storage contract, written once and run against every adapter: each guarantee of the Storage
 * interface (src/core/storage.ts) is a named test, exercised through the session service.
 */
export function describeStorageContract(harness: StorageHarness): void {
  describe(`storage contract: ${harness.name}`, () => {
    const ctx = useContract(harness);
    sessionContract(ctx);
    messageContract(ctx);
    lineageContract(ctx);
    exchangeContract(ctx);
    userContract(ctx);
    runContract(ctx);
    validationContract(ctx);
  });
}
