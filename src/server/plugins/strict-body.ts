import type { Plugin } from 'graphql-yoga';
import { httpError } from './body-limit.js';

/** Stateless between calls (no stream option), so one instance serves every request. */
const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/(graphql-response\+)?json\b/i;

/** Whether useStrictJsonBody reads a body of this Content-Type (a POST's). */
export const readsStrictly = (contentType: string): boolean => JSON_TYPE.test(contentType);

const badRequest = (message: string) => httpError(message, 400, 'BAD_REQUEST');

/**
 * A JSON request body read strictly: bytes that are not valid UTF-8 are refused (400) instead of
 * being silently replaced by U+FFFD and stored, and a body that is not a JSON object is refused
 * with a message that says so. Throws the GraphQL error yoga answers with; both HTTP paths
 * (yoga's, through useStrictJsonBody, and the lean one) read bodies with it.
 */
export function parseJsonBody(bytes: Uint8Array | ArrayBuffer): Record<string, unknown> {
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
  return body as Record<string, unknown>;
}

/** The request parser useStrictJsonBody sets. A body over the size limit fails in arrayBuffer(), with its own status. */
export const readStrictJson = async (request: Request) => parseJsonBody(await request.arrayBuffer()) as Record<string, never>;

/** Reads JSON request bodies with parseJsonBody. */
export function useStrictJsonBody(): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      const type = request.headers.get('content-type') ?? '';
      if (request.method !== 'POST' || !readsStrictly(type)) return;
      setRequestParser(readStrictJson);
    },
  };
}
