import { createConnection, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectMongoStorage } from '../adapters/mongo/connect.js';
import { describeWithMongo } from './mongo/harness.js';

/** A local port that refuses connections (a server was listening there a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const quickly = { serverSelectionTimeoutMS: 200 };

describe('connecting to MongoDB at start-up', () => {
  it('retries with exponential backoff, one log line per attempt, then gives up with a one-line error', async () => {
    const lines: string[] = [];
    const uri = `mongodb://parley:secret@127.0.0.1:${await closedPort()}/`;
    const attempt = connectMongoStorage({ uri, clientOptions: quickly }, { log: (l) => lines.push(l), attempts: 4, initialDelayMs: 10, maxDelayMs: 25 });
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^MongoDB at mongodb:\/\/parley:\*\*\*@127\.0\.0\.1:\d+\/ is not reachable after 4 attempts: /);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.match(/attempt (\d) of 4/)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(lines.map((l) => l.match(/retrying in (\d+) ms$/)?.[1] ?? 'last')).toEqual(['10', '20', '25', 'last']);
    expect(lines[3]).toMatch(/giving up$/);
    for (const line of [...lines, error.message]) {
      expect(line).not.toContain('\n');
      expect(line).not.toContain('secret');
    }
  });

  it('fails at once, without retrying, on a connection string the driver cannot parse', async () => {
    for (const uri of ['mongodb://parley:secret@127.0.0.1:notaport/', 'postgres://127.0.0.1/parley', 'mongodb://127.0.0.1/?notAnOption=1']) {
      const lines: string[] = [];
      // As main.ts retries: for ever. A parse error is a configuration mistake, not an outage.
      const attempt = connectMongoStorage({ uri, clientOptions: quickly }, { log: (l) => lines.push(l), attempts: Number.POSITIVE_INFINITY, initialDelayMs: 10, maxDelayMs: 10 });
      const outcome = await Promise.race([attempt.then(() => 'connected', (e: unknown) => e), new Promise((resolve) => setTimeout(() => resolve('still retrying after 2 s'), 2000))]);
      expect(outcome, uri).toBeInstanceOf(Error);
      expect((outcome as Error).message, uri).toMatch(/^Not a valid MongoDB connection string: /);
      expect((outcome as Error).message).not.toContain('secret');
      expect((outcome as Error).message).not.toContain('\n');
      expect(lines, uri).toEqual([]);
    }
  });

  it('stops waiting when the start-up is aborted', async () => {
    const controller = new AbortController();
    const uri = `mongodb://127.0.0.1:${await closedPort()}/`;
    const attempt = connectMongoStorage({ uri, clientOptions: quickly }, { log: () => controller.abort(new Error('shutting down')), initialDelayMs: 60_000, signal: controller.signal });
    await expect(attempt).rejects.toThrow('shutting down');
  });
});

describeWithMongo('connecting to a MongoDB that comes up late', (mongo) => {
  // A proxy stands in for a server that finishes starting; it can only forward to a single host.
  it.skipIf(!/^mongodb:\/\/[^/,@]+(\/|$)/.test(mongo.uri))('succeeds on the attempt after the server appears', async () => {
    const target = new URL(mongo.uri);
    const port = await closedPort();
    let proxy: Server | null = null;
    const lines: string[] = [];
    const startProxy = () => {
      proxy ??= createServer((socket) => {
        const upstream = createConnection(Number(target.port || 27017), target.hostname);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      }).listen(port, '127.0.0.1');
    };
    const storage = await connectMongoStorage(
      { uri: `mongodb://127.0.0.1:${port}/?directConnection=true`, dbName: `parley_test_late_${port}`, clientOptions: quickly, sweepIntervalMs: 0 },
      {
        log: (line) => {
          lines.push(line);
          startProxy();
        },
        initialDelayMs: 50,
      },
    );
    try {
      expect(lines).toHaveLength(1);
      await expect(storage.ping()).resolves.toBeUndefined();
    } finally {
      await storage.close();
      await mongo.client().db(`parley_test_late_${port}`).dropDatabase();
      await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    }
  });
});
