import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getNamedType,
  GraphQLError,
  getOperationAST,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';

type JitPlugin = ReturnType<typeof useGraphQlJit>;
type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

/**
 * Queries and mutations run as compiled functions (graphql-jit), one per document, cached with
 * the parsed document. graphql-js's executor keeps what graphql-jit gets wrong:
 * - subscriptions;
 * - operations whose variables do not coerce: graphql-jit answers them with 200 instead of 400
 *   and without the scalar's own message. It checks variables before running anything and then
 *   answers without `data`, so such an answer is dropped and graphql-js runs the operation;
 * - documents that graphql-jit cannot compile (the same way);
 * - documents with a literal of a scalar that reads variables inside literals (JSON,
 *   JSONObject): graphql-jit parses those literals without the variables, so
 *   `metadata: { category: $c }` would store null, and it logs an error for each.
 */
export function useCompiledExecution(): JitPlugin {
  const jit = useGraphQlJit({}, { onError: () => {} });
  return {
    onExecute(payload) {
      if (!compilable(payload.args)) return;
      return jit.onExecute?.({ ...payload, setExecuteFn: withFallback(payload) });
    },
  };
}

type ExecutePayload = Parameters<NonNullable<JitPlugin['onExecute']>>[0];

// The functions made per request are anonymous on purpose: under tsx (npm start) every named
// function expression is named at creation (esbuild's keepNames), which showed in the profile.
function withFallback(payload: ExecutePayload): ExecutePayload['setExecuteFn'] {
  const graphqlJs = payload.executeFn as Execute;
  return (compiled) => payload.setExecuteFn((args: ExecutionArgs) => runCompiled(compiled as Execute, graphqlJs, args));
}

function runCompiled(compiled: Execute, graphqlJs: Execute, args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> {
  let result: ExecutionResult | Promise<ExecutionResult>;
  try {
    result = compiled(args);
  } catch (error) {
    return crashed(error);
  }
  return result instanceof Promise ? result.then((r) => orGraphqlJs(r, graphqlJs, args), crashed) : orGraphqlJs(result, graphqlJs, args);
}

/**
 * graphql-jit itself threw (it does when a resolver throws null or undefined). Resolvers may have
 * run already, so graphql-js must not run the operation again: it fails as a whole, and its cause
 * goes through the error mask and the error log like any other.
 */
function crashed(error: unknown): ExecutionResult {
  const originalError = error instanceof Error ? error : new Error(String(error));
  return { data: null, errors: [new GraphQLError('The compiled operation failed', { originalError })] };
}

/** An answer without `data` means graphql-jit ran nothing (bad variables, no compiled form). */
function orGraphqlJs(result: ExecutionResult, graphqlJs: Execute, args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> {
  return 'data' in result ? result : graphqlJs(args);
}

const literalsOk = new WeakMap<DocumentNode, boolean>();

function compilable({ schema, document, operationName }: ExecutionArgs): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation === 'subscription') return false;
  let ok = literalsOk.get(document);
  if (ok === undefined) literalsOk.set(document, (ok = !hasVariableReadingLiteral(schema, document)));
  return ok;
}

/** Whether a literal (not a variable) is given where a scalar's parseLiteral takes variables. */
function hasVariableReadingLiteral(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  const check = () => {
    const type = typeInfo.getInputType();
    const named = type && getNamedType(type);
    if (named && isScalarType(named) && named.parseLiteral.length > 1) found = true;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument: (node) => void (node.value.kind !== Kind.VARIABLE && check()),
      ObjectField: (node) => void (node.value.kind !== Kind.VARIABLE && check()),
      ListValue: () => void check(),
    }),
  );
  return found;
}
