import type { Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { ParleyError } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { Context } from './context.js';

/**
 * Logs every unexpected error of an operation with the request id, before yoga masks it: the
 * client sees "Unexpected error.", the operator sees what happened and where.
 */
export function useErrorLog(logger: Logger): Plugin<Context> {
  // One hooks object for every operation: nothing is allocated per request unless an error occurs.
  const hooks = {
    onExecuteDone: ({ args, result }: { args: { contextValue: Context; operationName?: string | null }; result: unknown }) => {
      const errors = (result as { errors?: readonly GraphQLError[] }).errors;
      if (!errors) return;
      for (const error of errors) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (!original || original instanceof ParleyError || original instanceof GraphQLError) continue;
        logger.error('unexpected error', {
          requestId: args.contextValue.requestId,
          operation: args.operationName ?? null,
          path: error.path?.join('.') ?? null,
          error: original,
          stack: original.stack,
        });
      }
    },
  };
  return { onExecute: () => hooks };
}
