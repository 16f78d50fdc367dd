import { isAsyncIterable } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { firstError, logRequest } from './request-log.js';
import type { OperationSpan, TraceCarrier, Tracing } from './tracing-types.js';

type Errors = Parameters<typeof firstError>[0];

/**
 * One operation over WebSocket, from its `subscribe` message to its end (a result and `complete`,
 * an error, the client's `complete`, or the socket closing): one `request` log line when it ends,
 * and with tracing a root span covering it, its phases and storage calls beneath.
 */
export interface WsOperation {
  readonly requestId: string;
  /** Calls `fn` with the operation's span active (just calls it without tracing). */
  within<T>(fn: () => T): T;
  /** Once the document is parsed: what it runs. */
  named(type: string, name: string | null): void;
  /** Notes errors the client got: the first error's code is the one logged. `refused`: nothing ran (its message is logged too). */
  failed(errors: Errors, refused: boolean): void;
  /** A subscription's events, each read with the operation's span active (the same stream without tracing). */
  stream<T>(result: T): T;
  /** Logs the line and ends the span; later calls do nothing. */
  end(): void;
}

export function createWsOperations(logger: Logger, tracing: Tracing | null, endpoint: string) {
  return {
    /** `trace`: where the client names its own span (see Tracing.operation). */
    start(requestId: string, caller: string | null, operationName: string | null, trace: TraceCarrier): WsOperation {
      const started = performance.now();
      const span: OperationSpan | null = tracing ? tracing.operation(endpoint, requestId, trace) : null;
      let operation = operationName;
      let errorCode: string | null = null;
      let errorMessage: string | null = null;
      let noted = false;
      let ended = false;
      const within = <T>(fn: () => T): T => (span ? span.within(fn) : fn());
      return {
        requestId,
        within,
        named(type, name) {
          operation ??= name;
          span?.named(type, name);
        },
        failed(errors, refused) {
          const first = firstError(errors);
          if (noted || !first) return;
          noted = true;
          errorCode = first.code;
          errorMessage = refused ? first.message : null;
        },
        stream: (result) => (span && isAsyncIterable(result) ? (eachWithin(result, within) as unknown as typeof result) : result),
        end() {
          if (ended) return;
          ended = true;
          span?.end(errorCode);
          logRequest(logger, { requestId, transport: 'ws', method: null, path: endpoint, status: null, durationMs: performance.now() - started, operation, caller, errorCode, errorMessage });
        },
      };
    },
  };
}

/**
 * The stream with every step (next, return, throw) taken inside `within`: the storage calls a
 * subscription makes as it streams (a replay) go under its span. An async generator still, as
 * graphql-ws needs to stop it (it calls `return` on a client's `complete` or a closed socket).
 */
function eachWithin<T>(source: AsyncIterable<T>, within: <R>(fn: () => R) => R): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const wrapped: AsyncGenerator<T> = {
    next: (...args: [] | [unknown]) => within(() => iterator.next(...args)),
    return: (value?: unknown) => within(() => iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined })) as Promise<IteratorResult<T>>,
    throw: (error?: unknown) => within(() => iterator.throw?.(error) ?? Promise.reject(error)),
    [Symbol.asyncIterator]: () => wrapped,
    [Symbol.asyncDispose]: async () => {
      await wrapped.return(undefined);
    },
  };
  return wrapped;
}
