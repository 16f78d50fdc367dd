import type { Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../log.js';
import type { Context } from './context.js';
import { describeCause, unexpectedCause } from './mask-error.js';

/**
 * Logs every unexpected error of an operation once, with its cause and the request id, before
 * yoga masks it: the client sees "Unexpected error.", the operator sees what happened and where.
 * What counts as unexpected is what the mask hides (unexpectedCause), so the two never disagree.
 * Each error it logs joins `logged`, so that yoga's own log can leave it out.
 */
export function useErrorLog(logger: Logger, logged: WeakSet<object> = new WeakSet()): Plugin<Context> {
  // One hooks object for every operation: nothing is allocated per request unless an error occurs.
  const hooks = {
    onExecuteDone: ({ args, result }: { args: { contextValue: Context; operationName?: string | null }; result: unknown }) => {
      const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors;
      if (!errors) return;
      for (const error of errors) {
        const unexpected = unexpectedCause(error);
        if (!unexpected) continue;
        if (error !== null && typeof error === 'object') logged.add(error);
        logger.error('unexpected error', {
          requestId: args.contextValue?.requestId ?? null,
          operation: args.operationName ?? null,
          path: (error as Partial<GraphQLError> | null)?.path?.join('.') ?? null,
          cause: describeCause(unexpected.cause),
        });
      }
    },
  };
  return { onExecute: () => hooks };
}
