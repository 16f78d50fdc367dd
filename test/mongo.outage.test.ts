import { afterAll, describe, expect, it } from 'vitest';
import { connectMongoStorage } from '../adapters/mongo/connect.js';
import { createApp, type App } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { silentLogger } from '../src/log.js';
import { describeSkipped } from './mongo/harness.js';
import { startMongod } from './mongo/server.js';

/*
 * The server and MongoDB going away and coming back. It needs a mongod it can stop and restart,
 * so it starts its own with mongodb-memory-server (MONGOMS_SYSTEM_BINARY, or a download); where
 * that is impossible it reports itself skipped, with the reason.
 */

const title = 'MongoDB going away and coming back';
const mongod = await startMongod();

if ('reason' in mongod) describeSkipped(title, `no mongod to stop and restart (${mongod.reason})`, 'MONGOMS_SYSTEM_BINARY or a downloadable mongod');
else describe(title, () => {
  const { server } = mongod;
  let app: App | undefined;
  afterAll(async () => {
    await app?.stop();
    await server.stop();
  });

  it('keeps serving: /ready turns false, requests fail cleanly, and everything works again once it is back', async () => {
    const storage = await connectMongoStorage({ uri: server.getUri(), dbName: 'outage', clientOptions: { serverSelectionTimeoutMS: 1000 } });
    app = createApp({ storage, config: { ...loadConfig({ STORAGE_TIMEOUT_MS: '3000' }), shutdownTimeoutMs: 1000 }, logger: silentLogger });
    const run = async (query: string) =>
      (await (await app!.yoga.fetch('http://parley.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
        data?: Record<string, unknown>;
        errors?: { extensions?: { code?: string } }[];
      };
    const ready = async () => (await app!.yoga.fetch('http://parley.test/ready')).status;

    expect((await run('mutation { createSession(input: { id: "kept", title: "before" }) { __typename } }')).data).toEqual({ createSession: { __typename: 'Session' } });
    expect(await ready()).toBe(200);

    await server.stop({ doCleanup: false, force: false });
    expect(await ready()).toBe(503);
    expect((await run('{ session(id: "kept") { title } }')).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    await server.start(true);
    const deadline = Date.now() + 30_000;
    while ((await ready()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ready()).toBe(200);
    expect((await run('{ session(id: "kept") { title } }')).data).toEqual({ session: { title: 'before' } });
    expect((await run('mutation { appendMessage(sessionId: "kept", message: { role: USER, content: "after" }) { __typename } }')).data).toEqual({
      appendMessage: { __typename: 'AppendMessagePayload' },
    });
  });
});
