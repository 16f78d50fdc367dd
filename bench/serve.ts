import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createSessionService } from '../src/core/service/index.js';
import { startBaselineServer } from './baseline-server.js';
import { followParent } from './child.js';
import { createSeedingService } from './fixtures.js';
import { startMercurius } from './mercurius-server.js';
import { profileNamed } from './profile.js';
import { sameService } from './same-service.js';
import { httpScenario } from './scenarios/list.js';
import type { System } from './systems.js';

/*
 * A server under test, in its own process: `serve.ts <system> <scenario id> <profile>` (systems.ts
 * lists them). Seeds the scenario's data, listens on 127.0.0.1 (any free port), sends { url } to
 * the parent over IPC, and exits as soon as the parent goes away.
 */
const [kind = '', scenarioId = '', profileName = 'full'] = process.argv.slice(2);
const system = kind as System;
const scenario = httpScenario(scenarioId);
const profile = profileNamed(profileName);
followParent();

// Metrics are off everywhere but in `parley-metrics`, and the lean HTTP path is on (the default)
// everywhere but in `parley-yoga`, whatever the bench was started with.
const config = loadConfig({ GRAPHIQL: 'false', METRICS: system === 'parley-metrics' ? 'true' : 'false', LEAN_HTTP: system === 'parley-yoga' ? 'false' : 'true' });
const storage = createMemoryStorage();
await scenario.seed(createSeedingService(storage), profile);

let url: string;
if (system === 'parley' || system === 'parley-metrics' || system === 'parley-yoga') {
  url = await createApp({ storage, config }).start(0, '127.0.0.1');
} else if (system === 'r') {
  const same = sameService(storage, config);
  url = (await startBaselineServer(async (variables, headers) => scenario.baseline((await same.forRequest(headers)).service, variables))).url;
} else if (system === 'r-bare') {
  // The R of earlier runs: a service without storage timeouts, event bus or scoping.
  const service = createSessionService({ storage, limits: config.limits, retentionDays: config.retentionDays });
  url = (await startBaselineServer((variables) => scenario.baseline(service, variables))).url;
} else if (system === 'mercurius') {
  url = (await startMercurius(sameService(storage, config))).url;
} else {
  throw new Error(`unknown system ${kind}`);
}
process.send?.({ url });
