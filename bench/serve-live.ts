import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { followParent } from './child.js';

/*
 * S4's server, in its own process: `serve-live.ts <sessions>`. Parley with that many empty
 * sessions, fan-0 to fan-<sessions - 1>, sends { url } to the parent over IPC and exits when the
 * parent goes away. Subscribers may fall behind by a whole run's messages without being cut off
 * (SUBSCRIPTION_BUFFER): a slow subscriber is a lost message.
 */
followParent();
const sessions = Number(process.argv[2] ?? '1');
const storage = createMemoryStorage();
const app = createApp({ storage, config: loadConfig({ GRAPHIQL: 'false', SUBSCRIPTION_BUFFER: '100000' }) });
for (let s = 0; s < sessions; s++) await app.service.createSession({ id: `fan-${s}`, title: 'S4' });
process.send?.({ url: await app.start(0, '127.0.0.1') });
