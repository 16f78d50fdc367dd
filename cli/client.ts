import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { CliError, EXIT } from './errors.js';

export interface Connection {
  /** The GraphQL endpoint, http(s)://…/graphql. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey: string | undefined;
}

/** The client for the server named by --url and --api-key (wherever they are on the line). */
export type Connect = () => Connection & { request: Request };

export type Request = <R, V>(document: DocumentTypeDecoration<R, V>, variables?: V) => Promise<R>;

/** A GraphQL client over fetch: data, or a CliError saying in one line why there is none. */
export function createRequest({ url, apiKey }: Connection): Request {
  return async (document, variables) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(apiKey && { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify({ query: String(document), variables }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`Cannot reach Parley at ${url}: ${cause?.code ?? cause?.message ?? String(error)}`, EXIT.UNAVAILABLE);
    }
    const text = await response.text();
    let body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new CliError(`${url} answered HTTP ${response.status} with no GraphQL response: is it a Parley server?`, EXIT.UNAVAILABLE);
    }
    if (body.errors?.length) {
      const [first] = body.errors;
      const code = first?.extensions?.code;
      const message = body.errors.map((e) => e.message).join('; ');
      const auth = response.status === 401 || response.status === 403 || code === 'UNAUTHENTICATED';
      throw new CliError(`${message}${code ? ` (${code})` : ''}`, auth || code === 'INTERNAL_SERVER_ERROR' ? EXIT.UNAVAILABLE : EXIT.FAILED);
    }
    if (body.data == null) throw new CliError(`${url} answered HTTP ${response.status} without data`, EXIT.UNAVAILABLE);
    return body.data as never;
  };
}
