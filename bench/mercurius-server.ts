import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import type { Context } from '../src/graphql/context.js';
import { schema } from '../src/graphql/schema/index.js';
import type { SameService } from './same-service.js';

/**
 * The peer M: Mercurius on fastify with graphql-jit (`jit: 1`: compiled from a query's second
 * use), serving Parley's schema object with Parley's context over the same service (see
 * same-service.ts). No armor, error masking or request log: the GraphQL server as its users run it.
 */
export async function startMercurius(same: SameService): Promise<{ url: string }> {
  const app = Fastify({ logger: false });
  await app.register(mercurius, {
    schema,
    jit: 1,
    graphiql: false,
    path: '/graphql',
    context: async (request): Promise<Context> => {
      const { caller, service } = await same.forRequest(request.headers);
      return { service, caller, live: same.live, requestId: randomUUID() };
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fastify is not listening on a TCP port');
  return { url: `http://127.0.0.1:${address.port}/graphql` };
}
