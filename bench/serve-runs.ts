import { createMemoryStorage } from '../adapters/memory/index.js';
import { createOpenAICompatibleProvider } from '../providers/openai-compatible/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { followParent } from './child.js';

/*
 * S6's Parley, in its own process: `serve-runs.ts <baseURL> <runs>`. Configured as a deployment
 * would be (MODEL_PROVIDER=openai-compatible, OPENAI_BASE_URL at the bench model, in-memory
 * storage), with room for every run at once (MAX_RUNS_PER_INSTANCE, MAX_RUNS_PER_OWNER: without
 * auth every run has the same owner) and for every token of a reply (MAX_OUTPUT_TOKENS), and
 * subscribers allowed to fall behind by a whole reply. Stores 2 x <runs> empty sessions, w1… for
 * the warm-up runs and s1… for the measured ones (one run per session at a time), then sends
 * { url } over IPC and answers 'cpu'.
 */
followParent();
const [baseURL = '', runs = '100'] = process.argv.slice(2);
const n = Number(runs);
const config = loadConfig({
  GRAPHIQL: 'false',
  MODEL_PROVIDER: 'openai-compatible',
  OPENAI_BASE_URL: baseURL,
  DEFAULT_MODEL: 'bench-model',
  MAX_RUNS_PER_INSTANCE: String(2 * n),
  MAX_RUNS_PER_OWNER: String(2 * n),
  MAX_OUTPUT_TOKENS: '100000',
  SUBSCRIPTION_BUFFER: '100000',
});
if (config.runs.model.provider !== 'openai-compatible') throw new Error('serve-runs: expected the openai-compatible provider');
const { model } = config.runs;
const provider = createOpenAICompatibleProvider({ baseURL: model.baseURL, apiKey: model.apiKey, defaultModel: model.defaultModel, models: model.aliases });
const app = createApp({ storage: createMemoryStorage(), config, provider });
for (let i = 1; i <= n; i++) {
  await app.service.createSession({ id: `w${i}`, title: 'S6 warm-up' });
  await app.service.createSession({ id: `s${i}`, title: 'S6' });
}
process.send?.({ url: await app.start(0, '127.0.0.1') });
