import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createSessionService } from '../src/core/service/index.js';
import { countingStorage } from '../test/api/client.js';
import { createSeedingService } from './fixtures.js';
import { requestBody } from './load.js';
import type { Profile } from './profile.js';
import type { HttpScenario } from './scenario.js';

export interface StorageCalls {
  label: string;
  /** Storage calls made by one request, by method. */
  parley: Record<string, number>;
  baseline: Record<string, number>;
}

export const totalCalls = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

/**
 * Counts the storage calls one request of each case makes, in-process (yoga.fetch and a direct
 * call of the baseline handler), over a storage wrapper that counts every method call.
 */
export async function countStorageCalls(scenario: HttpScenario, profile: Profile): Promise<StorageCalls[]> {
  const storage = createMemoryStorage();
  await scenario.seed(createSeedingService(storage), profile);
  const counter = countingStorage(storage);
  const config = loadConfig({ GRAPHIQL: 'false' });
  const app = createApp({ storage: counter.storage, config });
  const service = createSessionService({ storage: counter.storage, limits: config.limits });
  const snapshot = () => Object.fromEntries(counter.calls);
  const counts: StorageCalls[] = [];
  for (const c of scenario.cases(profile)) {
    const variables = c.variables[0] ?? {};
    counter.reset();
    const response = await app.yoga.fetch('http://bench.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: requestBody(scenario.query, variables),
    });
    const answer = (await response.json()) as { errors?: unknown };
    if (answer.errors) throw new Error(`${scenario.id} ${c.label}: ${JSON.stringify(answer.errors)}`);
    const parley = snapshot();
    counter.reset();
    await scenario.baseline(service, variables);
    counts.push({ label: c.label, parley, baseline: snapshot() });
  }
  return counts;
}
