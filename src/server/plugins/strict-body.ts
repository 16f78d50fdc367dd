import type { Plugin } from 'graphql-yoga';
import { httpError } from './body-limit.js';

/** Stateless between calls (no stream option), so one instance serves every request. */
const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/(graphql-response\+)?json\b/i;

const badRequest = (message: string) => httpError(message, 400, 'BAD_REQUEST');

/**
 * Reads JSON request bodies strictly: bytes that are not valid UTF-8 are refused (400) instead of
 * being silently replaced by U+FFFD and stored, and a body that is not a JSON object is refused
 * with a message that says so.
 */
export function useStrictJsonBody(): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      const type = request.headers.get('content-type') ?? '';
      if (request.method !== 'POST' || !JSON_TYPE.test(type)) return;
      setRequestParser(async (req) => {
        const bytes = await req.arrayBuffer(); // a body over the size limit fails here, with its own status
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          throw badRequest('The request body is not valid UTF-8');
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
        }
        if (Array.isArray(body)) throw badRequest('Batching is not supported: send one operation per request');
        if (body === null || typeof body !== 'object') throw badRequest('The request body must be a JSON object: {"query": ..., "variables": ...}');
        return body as Record<string, never>;
      });
    },
  };
}
