import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSessionService, type SessionService } from '../src/core/service/index.js';
import { messages, steppingClock } from './contract/harness.js';
import { describeWithMongo, type TestStorage } from './mongo/harness.js';
import { winningStages } from './mongo/plans.js';

/**
 * The queries the adapter really sends (caught by command monitoring), explained by the server:
 * pages must be index scans in the order asked for, with no in-memory sort and no collection scan.
 */
describeWithMongo('MongoDB adapter: queries use indexes', (mongo) => {
  let client: MongoClient;
  let storage: TestStorage;
  let service: SessionService;
  const sent: CommandStartedEvent[] = [];

  beforeAll(async () => {
    client = new MongoClient(mongo.uri, { monitorCommands: true });
    client.on('commandStarted', (event) => sent.push(event));
    storage = await mongo.storage({ client });
    service = createSessionService({ storage, now: steppingClock() });
    for (let i = 0; i < 30; i++) await service.createSession({ id: `s${i}`, ownerId: i % 3 ? 'alice' : 'bob', messages: messages(3) });
    await service.createSession({ id: 'long', ownerId: 'alice', messages: [...messages(40), { role: 'TOOL', content: 't' }, ...messages(40)] });
  });

  afterAll(async () => {
    await storage.close();
    await client.close();
  });

  /** For each `command` (find or delete) on `collection` that `run` sends, the stages of the plan the server picks. */
  async function plansOf(collection: string, run: () => Promise<unknown>, command: 'find' | 'delete' = 'find') {
    sent.length = 0;
    await run();
    const commands = sent.filter((e) => e.commandName === command && e.command[command] === collection);
    expect(commands.length, `${command} commands on ${collection}`).toBeGreaterThan(0);
    return Promise.all(
      commands.map(async (event) => {
        const { find, filter, sort, limit, projection, deletes } = event.command as Document;
        const fields = command === 'find' ? { find, filter, sort, limit, projection } : { delete: collection, deletes };
        // Only the fields the adapter sent: an undefined one would go to the server as null.
        const explain = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        return winningStages(await client.db(storage.dbName).command({ explain, verbosity: 'queryPlanner' }));
      }),
    );
  }

  /** Every plan scans `index` (in the order asked for: no SORT stage) and none scans the collection. */
  function expectIndexScans(plans: { stage: string; indexName?: string }[][], index: string | null) {
    for (const stages of plans) {
      if (index) expect(stages.some((s) => s.stage === 'IXSCAN' && s.indexName === index), JSON.stringify(stages)).toBe(true);
      expect(stages.map((s) => s.stage)).toContain('IXSCAN');
      expect(stages.map((s) => s.stage)).not.toContain('SORT');
      expect(stages.map((s) => s.stage)).not.toContain('COLLSCAN');
    }
  }

  it('reads the latest history page as a backward range of {session, seq}', async () => {
    expectIndexScans(await plansOf('messages', () => service.history('long', { last: 20 })), 'history');
  });

  it('reads a history page before a cursor, and after one, from the same index', async () => {
    expectIndexScans(await plansOf('messages', () => service.history('long', { last: 10, before: '50' })), 'history');
    expectIndexScans(await plansOf('messages', () => service.history('long', { first: 10, after: '50' })), 'history');
  });

  it('reads a role-filtered page from {session, role, seq} without sorting in memory', async () => {
    expectIndexScans(await plansOf('messages', () => service.history('long', { last: 5, roles: ['TOOL'] })), 'history_by_role');
    expectIndexScans(await plansOf('messages', () => service.history('long', { last: 5, roles: ['TOOL', 'USER'] })), null);
  });

  it('lists sessions newest first, page after page, from the {updatedAt, _id} index', async () => {
    expectIndexScans(await plansOf('sessions', () => service.listSessions({ first: 5 })), 'updated');
    const first = await service.listSessions({ first: 5 });
    expectIndexScans(await plansOf('sessions', () => service.listSessions({ first: 5, after: first.pageInfo.endCursor })), 'updated');
  });

  it("lists an owner's sessions from {ownerId, updatedAt, _id}, and by creation time from {createdAt, _id}", async () => {
    expectIndexScans(await plansOf('sessions', () => service.listSessions({ first: 5, filter: { ownerId: 'alice' } })), 'owner_updated');
    const byCreation = { first: 5, orderBy: { field: 'CREATED_AT', direction: 'ASC' } } as const;
    expectIndexScans(await plansOf('sessions', () => service.listSessions(byCreation)), 'created');
  });

  it("deletes a session's messages, published and staged, through indexes", async () => {
    await service.createSession({ id: 'doomed', messages: messages(5) });
    expectIndexScans(await plansOf('messages', () => service.deleteSession('doomed'), 'delete'), null);
  });
});
