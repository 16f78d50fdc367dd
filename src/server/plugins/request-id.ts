import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

/** A client's own x-request-id is kept when it looks like an id; anything else could fill the log. */
const CLIENT_ID = /^[\w.:-]{1,128}$/;

/**
 * One id per HTTP request: the client's `x-request-id` when it is a short token, a UUID otherwise.
 * The context and the logs take it from `of(request)`; the response carries it back in its own
 * `x-request-id` header, so that a client can quote the id of a failed request.
 */
export function createRequestIds() {
  const ids = new WeakMap<Request, string>();
  const of = (request: Request): string => {
    let id = ids.get(request);
    if (id === undefined) {
      const given = request.headers.get('x-request-id');
      id = given !== null && CLIENT_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  const plugin: Plugin = {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', of(request));
    },
  };
  return { of, plugin };
}
