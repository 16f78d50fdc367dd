import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createSessionService } from '../src/core/service/index.js';
import { startBaselineServer } from './baseline-server.js';
import { followParent } from './child.js';
import { createSeedingService } from './fixtures.js';
import { profileNamed } from './profile.js';
import { httpScenario } from './scenarios/list.js';

/*
 * A server under test, in its own process: `serve.ts <parley|baseline> <scenario id> <profile>`.
 * Seeds the scenario's data, listens on 127.0.0.1 (any free port), sends { url } to the parent
 * over IPC, and exits as soon as the parent goes away.
 */
const [kind, scenarioId = '', profileName = 'full'] = process.argv.slice(2);
const scenario = httpScenario(scenarioId);
const profile = profileNamed(profileName);
followParent();

// METRICS and LEAN_HTTP pass through, to compare what they cost (LEAN_HTTP=false npm run bench -- --only S1).
const config = loadConfig({ GRAPHIQL: 'false', ...(process.env.METRICS && { METRICS: process.env.METRICS }), ...(process.env.LEAN_HTTP && { LEAN_HTTP: process.env.LEAN_HTTP }) });
const storage = createMemoryStorage();
await scenario.seed(createSeedingService(storage), profile);

let url: string;
if (kind === 'parley') {
  url = await createApp({ storage, config }).start(0, '127.0.0.1');
} else if (kind === 'baseline') {
  const service = createSessionService({ storage, limits: config.limits, retentionDays: config.retentionDays });
  url = (await startBaselineServer((variables) => scenario.baseline(service, variables))).url;
} else {
  throw new Error(`unknown server kind ${kind}`);
}
process.send?.({ url });
