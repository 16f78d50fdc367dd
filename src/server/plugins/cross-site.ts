import type { Plugin } from 'graphql-yoga';
import { httpError } from './body-limit.js';

/**
 * Parley's answer to cross-site request forgery, from its threat model: credentials travel only in
 * headers (`Authorization`, `X-API-Key`), never in cookies, so a page on another site cannot make
 * a browser send them. What such a page can still make a browser send, without a CORS preflight,
 * is a GET (a link, an image) or a POST with a "simple" body (an HTML form, `text/plain`):
 * - a GET only ever reads: yoga refuses a mutation over GET (405), and the same-origin policy
 *   keeps the answer from the foreign page. So GET needs no extra header (urql's default GET
 *   queries and GraphiQL's SSE subscriptions work as they come).
 * - a POST must declare a JSON body. Anything else (forms, multipart, text/plain, no type at all)
 *   is refused with 415 before it is parsed: yoga would otherwise read a form as an operation.
 */
export function useCrossSitePolicy(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      if (mediaType(request.headers.get('content-type')) === 'application/json') return;
      throw httpError('A POST request must send its operation as JSON, with "Content-Type: application/json"', 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  };
}

/** The media type of a Content-Type value, without parameters, in lower case ('' when absent). */
export function mediaType(value: string | null): string {
  return (value ?? '').split(/[;,]/, 1)[0]!.trim().toLowerCase();
}
