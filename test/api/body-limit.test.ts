import { request, createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp } from '../../src/server/app.js';
import { useRequestBodyLimit } from '../../src/server/plugins/body-limit.js';
import { TEST_CONFIG } from './client.js';

const LIMIT = 200;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** A yoga with a LIMIT-byte body limit, on a real socket. */
function smallLimitServer() {
  const schema = createSchema({ typeDefs: 'type Query { echo(text: String!): String! }', resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => text } } });
  const yoga = createYoga({ schema, maxRequestBodySize: false, plugins: [useRequestBodyLimit(LIMIT)] });
  return listen(yoga);
}

/** POSTs a body, declaring its length or sending it chunked, and gives status and text. */
async function post(port: number, body: string, { chunked = false, declared }: { chunked?: boolean; declared?: number } = {}) {
  const headers: Record<string, string | number> = { 'content-type': 'application/json', accept: 'application/json' };
  if (!chunked) headers['content-length'] = declared ?? Buffer.byteLength(body);
  const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers });
  req.on('error', () => {}); // the server may answer and close before the whole body is sent
  if (chunked) for (let i = 0; i < body.length; i += 50) req.write(body.slice(i, i + 50));
  else if (declared === undefined) req.write(body);
  req.end();
  const [response] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return { status: response.statusCode, text };
}

const echo = (length: number) => JSON.stringify({ query: 'query($t: String!) { echo(text: $t) }', variables: { t: 'x'.repeat(length) } });

describe('the request body limit', () => {
  it('serves bodies within the limit, whether their length is declared or chunked', async () => {
    const port = await smallLimitServer();
    for (const chunked of [false, true]) {
      const answer = await post(port, echo(10), { chunked });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ data: { echo: 'x'.repeat(10) } });
    }
  });

  it('rejects a body over the limit with 413, from its Content-Length or while it streams', async () => {
    const port = await smallLimitServer();
    for (const chunked of [false, true]) {
      const answer = await post(port, echo(LIMIT), { chunked });
      expect(answer.status).toBe(413);
      expect(answer.text).toContain('REQUEST_ENTITY_TOO_LARGE');
    }
  });

  it('holds Parley to its configured MAX_BODY_BYTES, answering before reading the body', async () => {
    const app = createApp({ storage: createMemoryStorage(), config: { ...TEST_CONFIG, maxBodyBytes: 4096 } });
    const port = await listen(app.yoga);
    const answer = await post(port, '', { declared: 4097 });
    expect(answer.status).toBe(413);
  }, 5000);
});
