import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, GraphQLError, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { buildExecutionContext } from 'graphql/execution/execute.js';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { AuthError, type Authenticator } from './auth.js';
import type { Caller } from '../core/service/scoped.js';
import type { Context } from '../graphql/context.js';
import { maskError } from './plugins/mask-error.js';
import { bindGraphqlWs } from './ws-binding.js';
import { hostAllowed, type AllowedHosts } from './host-guard.js';
import type { Logger } from '../log.js';
import type { ServerContext } from './types.js';
import { callerId } from './request-log.js';
import type { TraceCarrier, Tracing } from './tracing-types.js';
import { createWsOperations, type WsOperation } from './ws-operations.js';

export interface WebSocketOptions {
  /** Ping every this many ms; a client that does not answer within as long is dropped. Default 12,000. */
  keepAliveMs: number;
  /** A connection that sends no connection_init within this many ms is closed (4408). Default 3,000. */
  initTimeoutMs: number;
  /** Largest message a client may send, in bytes (MAX_BODY_BYTES, as for HTTP); a larger one closes the socket with 1009. */
  maxMessageBytes: number;
  /** After closing a client, how long it has to acknowledge before its socket is destroyed. */
  closeGraceMs?: number;
  /** Checks the credentials of connection_init (or of the upgrade request's headers). */
  authenticate: Authenticator;
  /**
   * Browser origins allowed besides the server's own ('*': any). Browsers send no CORS preflight
   * for WebSockets, so without this check any web page could use a visitor's local Parley.
   */
  allowedOrigins: string[];
  /** Host names the upgrade may name (see host-guard.ts); null for any. */
  allowedHosts: AllowedHosts;
  /** Where each operation's line goes once it has ended, and unexpected errors, with its request id. */
  logger: Logger;
  /** Each operation a span (the root of its trace), when tracing is on. */
  tracing?: Tracing | null | undefined;
}

type Extra = {
  socket: WebSocket;
  request: IncomingMessage;
  caller?: Caller;
  /** The operations still going, by their graphql-ws id. */
  operations?: Map<string, WsOperation>;
};

const operationsOf = (extra: Extra) => (extra.operations ??= new Map());

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * graphql-ws (protocol graphql-transport-ws) on the HTTP server, at the GraphQL endpoint. Every
 * operation goes through yoga.getEnveloped, so parsing, validation, context and error masking are
 * the ones HTTP and SSE requests get.
 */
export function attachWebSockets(server: Server, yoga: YogaServerInstance<ServerContext, Context>, options: WebSocketOptions) {
  // Not bound to the HTTP server (noServer): ws would re-emit the server's own errors (a port in
  // use) on the WebSocket server, where graphql-ws prints them with a stack. Listening errors are
  // the HTTP server's, reported once by App.start.
  const wss = new WebSocketServer({
    noServer: true,
    path: yoga.graphqlEndpoint,
    maxPayload: options.maxMessageBytes,
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }, answer: (ok: boolean, code?: number, message?: string) => void) => {
      if (!hostAllowed(req.headers.host, options.allowedHosts)) return answer(false, 403, 'Host not allowed (ALLOWED_HOSTS)');
      answer(originAllowed(origin, req, options.allowedOrigins));
    },
  });
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  server.on('upgrade', upgrade);
  const grace = options.closeGraceMs ?? 5000;
  const operations = createWsOperations(options.logger, options.tracing ?? null, yoga.graphqlEndpoint);
  // The operation of each execution's context: graphql-ws hands execute and subscribe nothing else.
  const running = new WeakMap<object, WsOperation>();
  const opOf = (args: ExecutionArgs) => running.get(args.contextValue as object);
  const closeSocket = (socket: WebSocket, code: number, reason: string) => {
    socket.close(code, reason);
    setTimeout(() => socket.terminate(), grace).unref();
  };
  const disposable = bindGraphqlWs<Extra>(
    {
      connectionInitWaitTimeout: options.initTimeoutMs,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (name: string) => {
          const value = params[name] ?? params[name.toLowerCase()] ?? ctx.extra.request.headers[name.toLowerCase()];
          return typeof value === 'string' ? value : undefined;
        };
        try {
          ctx.extra.caller = await options.authenticate({ authorization: header('Authorization'), apiKey: header('X-API-Key') });
          return true;
        } catch (error) {
          if (!(error instanceof AuthError)) throw error;
          closeSocket(ctx.extra.socket, 4401, error.message);
          return false;
        }
      },
      execute: (args) => {
        const op = opOf(args);
        const run = () => (args.rootValue as Enveloped).execute(args);
        return op ? op.within(run) : run();
      },
      subscribe: async (args) => {
        const op = opOf(args);
        const run = () => (args.rootValue as Enveloped).subscribe(args);
        return op ? op.stream(await op.within(run)) : run();
      },
      // A document or variables that cannot run get an `error` message for that operation, with
      // the errors HTTP would give; the connection stays open. Nothing thrown here may escape:
      // graphql-ws would close the whole connection with 4500.
      onSubscribe: async (ctx, id, payload) => {
        const requestId = randomUUID();
        const op = operations.start(requestId, callerId(ctx.extra.caller), payload.operationName ?? null, traceCarrier(payload.extensions, ctx.extra.request));
        operationsOf(ctx.extra).set(id, op);
        // As yoga's HTTP path does: client mistakes get a code, anything else is masked and logged.
        // Such an operation ends here: graphql-ws sends the error, and completes nothing.
        const answer = (errors: readonly unknown[]): never[] => {
          const masked = errors.map((error) => {
            const one = maskError(error, 'Unexpected error.') as GraphQLError;
            if (one.extensions.code === 'INTERNAL_SERVER_ERROR') {
              const cause = error instanceof GraphQLError ? (error.originalError ?? error) : error;
              options.logger.error('unexpected error', { requestId, operation: payload.operationName ?? null, caller: callerId(ctx.extra.caller), error: cause });
            }
            return one;
          });
          op.failed(masked, true);
          op.end();
          operationsOf(ctx.extra).delete(id);
          return masked as never[];
        };
        return op.within(() => prepare(ctx, payload, requestId, answer, op));
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (result.errors) operationsOf(ctx.extra).get(id)?.failed(result.errors, result.data == null);
        return result.errors ? { ...result, errors: result.errors.map(withoutInternals) } : undefined;
      },
      onError: (ctx, id, _payload, errors) => {
        operationsOf(ctx.extra).get(id)?.failed(errors, false);
        return errors.map(withoutInternals);
      },
      onComplete: (ctx, id) => {
        operationsOf(ctx.extra).get(id)?.end();
        operationsOf(ctx.extra).delete(id);
      },
      // graphql-ws stops the socket's subscriptions before this, and completes each once stopped;
      // whatever has not ended by the next turn (an execution still running) ends with the socket.
      onClose: (ctx) => {
        setImmediate(() => {
          for (const op of operationsOf(ctx.extra).values()) op.end();
          operationsOf(ctx.extra).clear();
        });
      },
    },
    wss,
    { keepAliveMs: options.keepAliveMs, logger: options.logger },
  );

  /** What onSubscribe returns: the execution's arguments, or the errors of an operation that cannot run. */
  async function prepare(
    ctx: { extra: Extra },
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
    requestId: string,
    answer: (errors: readonly unknown[]) => never[],
    op: WsOperation,
  ): Promise<ExecutionArgs | never[]> {
    try {
      const enveloped = yoga.getEnveloped({
        requestId,
        ...(ctx.extra.caller && { caller: ctx.extra.caller }),
        closeConnection: (code: number, reason: string) => closeSocket(ctx.extra.socket, code, reason),
      });
      const document = enveloped.parse(payload.query);
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return answer([unresolvedOperation()]);
      op.named(operation.operation, operation.name?.value ?? null);
      const errors = enveloped.validate(enveloped.schema, document);
      if (errors.length > 0) return answer(errors);
      const args: ExecutionArgs = {
        schema: enveloped.schema,
        operationName: payload.operationName ?? null,
        document,
        variableValues: payload.variables ?? null,
        contextValue: await enveloped.contextFactory(),
        rootValue: enveloped,
      };
      // The operation to run and its variables, checked as execution would check them.
      const checked = buildExecutionContext(args);
      if (!('schema' in checked)) return answer(checked);
      running.set(args.contextValue as object, op);
      return args;
    } catch (error) {
      return answer([error]);
    }
  }
  return {
    /** Closes every client with 1001 (going away), then stops the WebSocket server. */
    async close(): Promise<void> {
      server.off('upgrade', upgrade);
      const clients = [...wss.clients];
      const closing = disposable.dispose();
      setTimeout(() => clients.forEach((client) => client.terminate()), grace).unref();
      await closing;
    },
  };
}

/** What yoga answers over HTTP when the document has no operation of that name (or several, and no name). */
const unresolvedOperation = () => new GraphQLError('Could not determine what operation to execute.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });

/** An error as HTTP answers it: without yoga's internal extensions (the HTTP status). */
function withoutInternals(error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError {
  const json = error instanceof GraphQLError ? error.toJSON() : error;
  if (!json.extensions || !('http' in json.extensions || 'unexpected' in json.extensions)) return json;
  const { http: _http, unexpected: _unexpected, ...extensions } = json.extensions;
  const { extensions: _all, ...rest } = json;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

/** Non-browser clients send no Origin; a browser's must be the server's own or an allowed one. */
function originAllowed(origin: string | undefined, req: IncomingMessage, allowed: string[]): boolean {
  if (!origin || allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Where a WebSocket operation's caller names its span: `traceparent` (and `tracestate`) in the
 * subscribe message's extensions, which a browser can set, else the upgrade request's headers,
 * which name one span for every operation of the socket.
 */
function traceCarrier(extensions: Record<string, unknown> | null | undefined, upgrade: IncomingMessage): TraceCarrier {
  const traceparent = extensions?.['traceparent'];
  if (typeof traceparent !== 'string') return { traceparent: upgrade.headers['traceparent'], tracestate: upgrade.headers['tracestate'] };
  const tracestate = extensions?.['tracestate'];
  return { traceparent, ...(typeof tracestate === 'string' && { tracestate }) };
}
