import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../core/service/scoped.js';
import type { Logger } from '../log.js';
import { shortened } from './plugins/mask-error.js';
import { pathOf } from './url-path.js';

/**
 * What the line logged for one request says: an HTTP request (any HTTP path builds one and calls
 * logRequest), or an operation over WebSocket (ws.ts, once it has ended).
 */
export interface RequestRecord {
  requestId: string;
  /** `http`, or `ws` for an operation over a WebSocket (which has no method or status of its own). */
  transport?: 'http' | 'ws';
  method: string | null;
  /** The path alone: a query string may carry a whole operation, or a credential. */
  path: string;
  status: number | null;
  /** From the request's arrival to its response's headers (for SSE: the stream's start); over WebSocket, from subscribe to its end. */
  durationMs: number;
  /** The GraphQL operation's name, when the request names one. */
  operation?: string | null | undefined;
  /** Who called, once authenticated: see callerId. */
  caller?: string | null | undefined;
  /** The first error's `extensions.code`, when the answer holds errors. */
  errorCode?: string | null | undefined;
  /** Why a request was refused (a client's mistake about the request itself), shortened as its answer is. */
  errorMessage?: string | null | undefined;
}

/** Paths a load balancer or a scraper asks every few seconds: logged at debug, not to drown the rest. */
const PROBES = new Set(['/health', '/ready', '/metrics']);
const OPERATION_MAX = 128;

/**
 * One line per request, `request`: at info (a client's mistake, 4xx, included), at warn for a 5xx
 * or an unexpected error over WebSocket (whose cause useErrorLog logs at error), at debug for the
 * probes (a failing /ready says why in a warning of its own).
 */
export function logRequest(logger: Logger, record: RequestRecord): void {
  const { requestId, transport = 'http', method, path, status, caller = null, errorCode = null } = record;
  const failed = transport === 'ws' ? errorCode === 'INTERNAL_SERVER_ERROR' : (status ?? 0) >= 500;
  const level = PROBES.has(path) ? 'debug' : failed ? 'warn' : 'info';
  const operation = record.operation && record.operation.length > OPERATION_MAX ? `${record.operation.slice(0, OPERATION_MAX)}…` : record.operation;
  const errorMessage = record.errorMessage ? shortened(record.errorMessage) : null;
  // Every field on every line, null when unknown, so that a log pipeline sees one shape.
  const durationMs = Math.round(record.durationMs * 10) / 10;
  logger[level]('request', { requestId, transport, method, path, status, durationMs, operation: operation ?? null, caller, errorCode, errorMessage });
}

/**
 * The first error of an answer as the log gives it: its code, and its message when it is about the
 * request itself (no field path; an unexpected error's message is the server's, not logged here).
 */
export function firstError(errors: readonly { message: string; path?: unknown; extensions?: Record<string, unknown> | undefined }[] | undefined): { code: string | null; message: string | null } | null {
  const first = errors?.[0];
  if (!first) return null;
  const code = typeof first.extensions?.['code'] === 'string' ? first.extensions['code'] : null;
  const refusal = first.path === undefined && code !== 'INTERNAL_SERVER_ERROR';
  return { code, message: refusal ? first.message : null };
}

/** A caller as the log names it: its owner id, `admin` for an admin of no owner; never its key or token. */
export function callerId(caller: Caller | undefined): string | null {
  if (!caller) return null;
  return caller.ownerId ?? (caller.admin ? 'admin' : null);
}

interface Pending {
  start: number;
  operation?: string | null;
  caller?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * yoga's HTTP path: logRequest for each request it answers, with the operation and the caller.
 * A request answered before its context was made (a document that does not parse or validate, a
 * refused body) has its credentials checked by `callerOf` for the line, so that the line names
 * who sent it all the same; not when the answer is that they are wrong (UNAUTHENTICATED).
 */
export function useRequestLog(
  logger: Logger,
  requestIdOf: (request: Request) => string,
  callerOf?: (request: Request) => Promise<Caller | undefined>,
): Plugin<{ request?: Request; caller?: Caller }> {
  const pending = new WeakMap<Request, Pending>();
  // The operation as it runs: the name the document gives it when the request named none.
  const noteRun = ({ args }: { args: { contextValue: { request?: Request; caller?: Caller }; document: DocumentNode; operationName?: string | null } }) => {
    const state = args.contextValue.request && pending.get(args.contextValue.request);
    if (!state) return;
    state.caller = callerId(args.contextValue.caller);
    state.operation ??= getOperationAST(args.document, args.operationName)?.name?.value ?? null;
  };
  return {
    onRequest({ request }) {
      pending.set(request, { start: performance.now() });
    },
    onParams({ request, params }) {
      const state = pending.get(request);
      if (state) state.operation = params.operationName ?? null;
    },
    onExecute: noteRun,
    onSubscribe: noteRun,
    onResultProcess({ request, result }) {
      const state = pending.get(request);
      if (!state || Array.isArray(result) || Symbol.asyncIterator in result) return;
      const first = firstError(result.errors);
      if (!first) return;
      state.errorCode = first.code;
      // A refusal's message, but only when nothing ran: field errors are answers, not refusals.
      if (result.data == null) state.errorMessage = first.message;
    },
    onResponse({ request, response }): Promise<void> | void {
      const state = pending.get(request);
      if (!state) return;
      pending.delete(request);
      const durationMs = performance.now() - state.start;
      const log = () =>
        logRequest(logger, {
          requestId: requestIdOf(request),
          method: request.method,
          path: pathOf(request.url),
          status: response.status,
          durationMs,
          operation: state.operation,
          caller: state.caller,
          errorCode: state.errorCode,
          errorMessage: state.errorMessage,
        });
      // Only an answer with an error can come before the context: no other request waits for this.
      if (state.caller === undefined && state.errorCode != null && state.errorCode !== 'UNAUTHENTICATED' && callerOf) {
        return callerOf(request).then((caller) => {
          state.caller = callerId(caller);
          log();
        });
      }
      return log();
    },
  };
}
