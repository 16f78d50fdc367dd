import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues, type ExecutionArgs } from 'graphql';

/**
 * Queries and mutations run as compiled functions (graphql-jit), one per document, cached with
 * the parsed document. Subscriptions keep graphql-js's executor, and so do operations whose
 * variables do not coerce: graphql-jit reports those without the scalar's own message and as a
 * 200 instead of a 400, so graphql-js answers them, exactly as without this plugin.
 */
export function useCompiledExecution(): ReturnType<typeof useGraphQlJit> {
  return useGraphQlJit({}, { enableIf: compilable });
}

function compilable({ schema, document, operationName, variableValues }: ExecutionArgs): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation === 'subscription') return false;
  return !getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {}).errors;
}
