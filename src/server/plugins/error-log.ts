import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { Logger } from '../../log.js';
import type { Context } from '../../graphql/context.js';
import { shortened, unexpectedCause } from './mask-error.js';
import type { Caller } from '../../core/service/scoped.js';
import { callerId } from '../request-log.js';

/**
 * Logs every unexpected error of an operation once, with its cause and the request id, before
 * yoga masks it: the client sees "Unexpected error.", the operator sees what happened and where.
 * What counts as unexpected is what the mask hides (unexpectedCause), so the two never disagree.
 * Each error it logs joins `logged`, so that yoga's own log can leave it out.
 */
export function useErrorLog(logger: Logger, logged: WeakSet<object> = new WeakSet()): Plugin<Context> {
  // The cause itself: the logger writes an Error's type, message and stack, anything else as it is.
  const log = (requestId: string | null, operation: string | null, path: string | null, cause: unknown, caller?: Caller) =>
    logger.error('unexpected error', { requestId, operation, path, caller: callerId(caller), error: cause });
  // One hooks object for every operation: nothing is allocated per request unless an error occurs.
  const hooks = {
    onExecuteDone: ({ args, result }: { args: { contextValue: Context; operationName?: string | null }; result: unknown }) => {
      const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors;
      if (!errors) return;
      for (const error of errors) {
        const unexpected = unexpectedCause(error);
        if (!unexpected) continue;
        if (error !== null && typeof error === 'object') logged.add(error);
        const path = (error as Partial<GraphQLError> | null)?.path?.join('.') ?? null;
        log(args.contextValue?.requestId ?? null, args.operationName ?? null, path, unexpected.cause, args.contextValue?.caller);
      }
    },
  };
  return {
    onExecute: () => hooks,
    // A result that cannot be written as JSON (a BigInt from storage, a cycle) fails after
    // execution, where only this wrapper (one closure per result) still knows the request id.
    onExecutionResult: ({ result, context }) => {
      if (!result || Array.isArray(result) || Symbol.asyncIterator in result) return;
      const stringify = result.stringify ?? JSON.stringify;
      result.stringify = (value) => {
        try {
          return stringify(value);
        } catch (error) {
          log((context as Partial<Context>).requestId ?? null, context.params?.operationName ?? null, null, error, (context as Partial<Context>).caller);
          if (error !== null && typeof error === 'object') logged.add(error);
          throw error;
        }
      };
    },
  };
}

/**
 * A request that could not run because of the client (variables that do not coerce, a broken or
 * invalid document, a refused body) is the client's mistake, not the server's error: the messages
 * the client gets are shortened (see `shortened`), so that the answer does not echo back what it
 * sent. Its one log line is the request's own (useRequestLog), with the code and that message.
 */
export function useShortenedErrors(): Plugin {
  return {
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || Symbol.asyncIterator in result || result.data != null || !result.errors) return;
      const errors = result.errors.map(shorten);
      if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
    },
  };
}

function shorten(error: GraphQLError): GraphQLError {
  const message = shortened(error.message);
  if (message === error.message) return error;
  const { nodes, source, positions, path, originalError, extensions } = error;
  return new GraphQLError(message, { nodes, source, positions, path, originalError, extensions });
}
