import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Runs each subscription event once for all the subscribers that would get the same answer.
 *
 * A published event reaches every subscriber of its session as the same object. By default each
 * subscriber executes its selection set on it and builds its own result; with 1,000 subscribers
 * that is 1,000 identical executions per message. Here subscribers are grouped by what their
 * result depends on: the event, the document (yoga's parser cache hands out one DocumentNode per
 * query text), the operation name, the variables and the caller (owner and admin flag, so that a
 * result is never shared across tenants). The first subscriber of a group executes; the others
 * receive a shallow copy of its result. Replayed messages are read per subscriber, so they are
 * executed per subscriber, as before.
 *
 * The source stream comes from graphql-js's createSourceEventStream and each event from
 * graphql-js's execute with the event as root value, which is how graphql-js's own subscribe maps
 * events; yoga's later hooks (error masking, logging) still see every result.
 */
export function useSharedSubscriptionEvents(): Plugin<Context> {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as never);
    },
  };
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;
const results = new WeakMap<object, Map<string, Result>>();

async function subscribeShared(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable(stream)) return stream;
  const key = groupKey(args);
  // A plain mapping iterator rather than yoga's mapAsyncIterator, which makes closures and
  // promise helpers per event: with it, S4's 1,000 subscribers cost 29.4 instead of 19.8 ms of
  // server CPU per message (`npm run bench -- --only S4`, one run each, same machine).
  const source = stream[Symbol.asyncIterator]();
  // Once the source has ended or failed, the stream is over: yoga turns a failure into one error
  // result and asks for more, which must then get the end rather than the source again.
  let finished = false;
  const map = (step: IteratorResult<unknown>): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> => {
    if (step.done) {
      finished = true;
      return step;
    }
    const result = resultFor(step.value, key, args);
    return result instanceof Promise ? result.then((value) => ({ done: false, value })) : { done: false, value: result };
  };
  const fail = (error: unknown): never => {
    finished = true;
    throw error;
  };
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => mapped,
    next: () => (finished ? Promise.resolve({ done: true, value: undefined }) : source.next().then(map, fail)),
    return: () => (source.return ? source.return() : Promise.resolve({ done: true, value: undefined })).then(() => ({ done: true, value: undefined })),
    throw: async (error: unknown) => {
      if (source.throw) return source.throw(error).then(map);
      await source.return?.();
      throw error;
    },
  };
  return mapped;
}

function resultFor(event: unknown, key: string, args: ExecutionArgs): Result {
  if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
  let group = results.get(event);
  if (!group) results.set(event, (group = new Map()));
  let shared = group.get(key);
  if (!shared) group.set(key, (shared = execute({ ...args, rootValue: event })));
  // A copy per subscriber: a later hook may replace fields of the result it is given.
  return shared instanceof Promise ? shared.then((r) => ({ ...r })) : { ...shared };
}

function groupKey({ document, operationName, variableValues, contextValue }: ExecutionArgs): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  const { caller } = contextValue as Context;
  return JSON.stringify([id, operationName ?? null, variableValues ?? null, caller.ownerId, caller.admin]);
}
