import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../core/service/scoped.js';
import type { Logger } from '../log.js';

/** What the line logged for one HTTP request says. Any HTTP path builds one and calls logRequest. */
export interface RequestRecord {
  requestId: string;
  method: string;
  /** The path alone: a query string may carry a whole operation, or a credential. */
  path: string;
  status: number;
  /** From the request's arrival to its response's headers (for SSE: the stream's start). */
  durationMs: number;
  /** The GraphQL operation's name, when the request names one. */
  operation?: string | null | undefined;
  /** Who called, once authenticated: see callerId. */
  caller?: string | null | undefined;
  /** The first error's `extensions.code`, when the answer holds errors. */
  errorCode?: string | null | undefined;
}

/** Paths a load balancer or a scraper asks every few seconds: logged at debug, not to drown the rest. */
const PROBES = new Set(['/health', '/ready', '/metrics']);
const OPERATION_MAX = 128;

/**
 * One line per HTTP request, `request`: at info (a client's mistake, 4xx, included), at warn for
 * a 5xx (whose cause useErrorLog logs at error), at debug for the probes (a failing /ready says
 * why in a warning of its own).
 */
export function logRequest(logger: Logger, record: RequestRecord): void {
  const level = PROBES.has(record.path) ? 'debug' : record.status >= 500 ? 'warn' : 'info';
  const operation = record.operation && record.operation.length > OPERATION_MAX ? `${record.operation.slice(0, OPERATION_MAX)}…` : record.operation;
  // Every field on every line, null when unknown, so that a log pipeline sees one shape.
  const { requestId, method, path, status, caller = null, errorCode = null } = record;
  const durationMs = Math.round(record.durationMs * 10) / 10;
  logger[level]('request', { requestId, method, path, status, durationMs, operation: operation ?? null, caller, errorCode });
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
}

/** yoga's HTTP path: logRequest for each request it answers, with the operation and the caller. */
export function useRequestLog(logger: Logger, requestIdOf: (request: Request) => string): Plugin<{ request?: Request; caller?: Caller }> {
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
      if (!state || Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      const code = result.errors[0]?.extensions?.code;
      state.errorCode = typeof code === 'string' ? code : null;
    },
    onResponse({ request, response }) {
      const state = pending.get(request);
      if (!state) return;
      pending.delete(request);
      logRequest(logger, {
        requestId: requestIdOf(request),
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        durationMs: performance.now() - state.start,
        operation: state.operation,
        caller: state.caller,
        errorCode: state.errorCode,
      });
    },
  };
}
