import { createGraphQLError, type Plugin } from 'graphql-yoga';

const CONTENT_LENGTH = /^\d+$/;

/**
 * Yoga's request body limit, without its cost on ordinary requests. Yoga pipes every body
 * through a TransformStream to count its bytes, which took a third of Parley's throughput on
 * small requests (bench S1). Node's HTTP parser never delivers more than Content-Length bytes, so
 * a request that declares its length is checked against the header alone; only a body of unknown
 * length (chunked) is counted as it streams. Replaces yoga's check: use with
 * `maxRequestBodySize: false`, after every plugin that adds a request parser.
 */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) return void declaredLength(declared, limit);
      if (!requestParser || !request.body) return;
      setRequestParser((req) => requestParser(countingBody(req, limit, fetchAPI)));
    },
  };
}

/** The body length a Content-Length header declares; throws the error yoga answers with when it is invalid or over the limit. */
export function declaredLength(declared: string, limit: number): number {
  if (!CONTENT_LENGTH.test(declared)) throw httpError('Content-Length header is invalid.', 400, 'BAD_REQUEST');
  const length = Number(declared);
  if (length > limit) throw tooLarge();
  return length;
}

function countingBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  if (!request.body) return request;
  // A native stream must be piped through the native TransformStream, a ponyfilled one through
  // the ponyfill (graphql-yoga#4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}

const tooLarge = () => httpError('Request body too large', 413, 'REQUEST_ENTITY_TOO_LARGE');

/** A request refused before GraphQL: yoga answers it with `status` and the error with `code`. */
export function httpError(message: string, status: number, code: string) {
  return createGraphQLError(message, { extensions: { http: { status }, code } });
}
