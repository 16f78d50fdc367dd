import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Variables } from './scenario.js';

/**
 * The baseline R: plain node:http, no GraphQL. It reads and parses the same JSON body Parley gets
 * ({ query, variables }), ignores the query, hands the variables to the scenario's hand-written
 * handler (with the request's headers, to authenticate as Parley does) and answers { data } as
 * JSON, as yoga does.
 */
export function startBaselineServer(handle: (variables: Variables, headers: IncomingHttpHeaders) => Promise<unknown>): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    try {
      const body = JSON.parse(await readBody(req)) as { variables?: Variables };
      const json = JSON.stringify({ data: await handle(body.variables ?? {}, req.headers) });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    } catch (error) {
      process.stderr.write(`baseline: ${String(error)}\n`);
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/graphql`, server });
    });
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
