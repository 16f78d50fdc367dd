import type { RequestListener } from 'node:http';
import { context, defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { CompletionRequest, ModelProvider } from '../core/provider.js';
import type { CallSpan, OperationSpan, Tracing, TracingConfig } from './tracing-types.js';

const NOOP: CallSpan = { end: () => {} };
let contextManager: AsyncLocalStorageContextManager | undefined;

/** The active span follows async work (promises, timers) through AsyncLocalStorage: one manager per process. */
function enableContext(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}

/** OTEL_TRACES_SAMPLER's sampler, as the OpenTelemetry SDK specification defines each value. */
function samplerOf({ name, ratio }: TracingConfig['sampler']): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

export function createTracing(config: TracingConfig): Tracing {
  enableContext();
  const exporter = new OTLPTraceExporter({ url: config.url, headers: config.headers });
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': config.serviceName })),
    sampler: samplerOf(config.sampler),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('parley');
  const propagator = new W3CTraceContextPropagator();

  const child = (name: string, parent: Context, attributes?: Record<string, string>): Span => tracer.startSpan(name, { attributes }, parent);
  /** The request's span: the SERVER span Tracing.http made, active around the whole request. */
  const requestSpan = () => trace.getSpan(context.active());
  const fail = (span: Span, errors: readonly (GraphQLError | Error)[] | undefined, fallback?: string) => {
    if (!errors?.length) return;
    // The code only, as clients see it: a message may carry what the error masking hides.
    const code = (errors[0] as GraphQLError).extensions?.code;
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : (fallback ?? errors[0]!.name) });
  };
  const operation = (document: DocumentNode, name: string | null | undefined): Record<string, string> => {
    const op = getOperationAST(document, name);
    const attributes: Record<string, string> = { 'graphql.operation.type': op?.operation ?? 'unknown' };
    const opName = op?.name?.value ?? name;
    if (opName) attributes['graphql.operation.name'] = opName;
    return attributes;
  };
  const tagRequest = (contextValue: unknown, attributes: Record<string, string>) => {
    const span = requestSpan();
    if (!span) return;
    const requestId = (contextValue as { requestId?: unknown }).requestId;
    if (typeof requestId === 'string') span.setAttribute('parley.request_id', requestId);
    span.setAttributes(attributes);
    const name = attributes['graphql.operation.name'];
    span.updateName(`${attributes['graphql.operation.type']}${name ? ` ${name}` : ''}`);
  };

  const plugin: Plugin = {
    onParse() {
      const span = child('graphql.parse', context.active());
      return ({ result }) => {
        if (result instanceof Error) fail(span, [result], 'GRAPHQL_PARSE_FAILED');
        span.end();
      };
    },
    onValidate() {
      const span = child('graphql.validate', context.active());
      return ({ result }) => {
        fail(span, result, 'GRAPHQL_VALIDATION_FAILED');
        span.end();
      };
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const attributes = operation(args.document, args.operationName);
      tagRequest(args.contextValue, attributes);
      const span = child('graphql.execute', context.active(), attributes);
      // Resolvers run inside the execute span: the storage calls they make become its children.
      const inside = trace.setSpan(context.active(), span);
      setExecuteFn((execArgs) => context.with(inside, executeFn, undefined, execArgs));
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) fail(span, result.errors);
          span.end();
        },
      };
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const attributes = operation(args.document, args.operationName);
      tagRequest(args.contextValue, attributes);
      const span = child('graphql.subscribe', context.active(), attributes);
      const inside = trace.setSpan(context.active(), span);
      setSubscribeFn((subArgs) => context.with(inside, subscribeFn, undefined, subArgs));
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) fail(span, result.errors);
          span.end();
        },
      };
    },
    onResponse({ response }) {
      const span = requestSpan();
      const requestId = response.headers.get('x-request-id');
      if (span && requestId) span.setAttribute('parley.request_id', requestId);
    },
  };

  return {
    plugin,
    http(listener: RequestListener, endpoint = '/graphql'): RequestListener {
      return (req, res) => {
        const path = (req.url ?? '/').split('?', 1)[0];
        if (path !== endpoint) return listener(req, res);
        const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
        const span = tracer.startSpan(
          `${req.method ?? 'GET'} ${endpoint}`,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': endpoint } },
          parent,
        );
        const { traceId, spanId, traceFlags } = span.spanContext();
        const value = `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
        // traceresponse: W3C Trace Context Level 2 (draft); server-timing: what browsers can read.
        res.setHeader('traceresponse', value);
        res.setHeader('server-timing', `traceparent;desc="${value}"`);
        res.once('close', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
        context.with(trace.setSpan(parent, span), listener, undefined, req, res);
      };
    },
    storageCall(method) {
      const parent = context.active();
      // A storage call outside any traced request (the run sweeper's) starts no trace of its own.
      if (!trace.getSpan(parent)) return NOOP;
      const span = tracer.startSpan(`storage.${method}`, { kind: SpanKind.CLIENT, attributes: { 'parley.storage.method': method } }, parent);
      return {
        end(error) {
          if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
          span.end();
        },
      };
    },
    operation(endpoint, requestId, caller): OperationSpan {
      // An invalid or missing traceparent extracts nothing: the span is then a root.
      const parent = propagator.extract(ROOT_CONTEXT, caller, defaultTextMapGetter);
      const span = tracer.startSpan(
        `WebSocket ${endpoint}`,
        { kind: SpanKind.SERVER, attributes: { 'parley.request_id': requestId, 'network.protocol.name': 'websocket', 'url.path': endpoint } },
        parent,
      );
      const active = trace.setSpan(parent, span);
      let ended = false;
      return {
        within: (fn) => context.with(active, fn),
        named(type, name) {
          span.updateName(`${type}${name ? ` ${name}` : ''}`);
        },
        end(errorCode) {
          if (ended) return;
          ended = true;
          if (errorCode) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
          span.end();
        },
      };
    },
    async run(run, work) {
      const starter = trace.getSpan(context.active())?.spanContext();
      const span = tracer.startSpan('run', {
        root: true,
        links: starter ? [{ context: starter }] : [],
        attributes: { 'parley.run.id': run.id, 'parley.session.id': run.sessionId },
      });
      try {
        const ended = await context.with(trace.setSpan(context.active(), span), work);
        if (ended) {
          span.setAttribute('parley.run.status', ended.status);
          if (ended.error) span.setStatus({ code: SpanStatusCode.ERROR, message: ended.error.code });
        }
        return ended;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
        throw error;
      } finally {
        span.end();
      }
    },
    provider: (inner) => tracedProvider(inner, tracer),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Each completion a CLIENT span `chat <model>` (the OpenTelemetry GenAI conventions' name and
 * attributes), under the active span (the run's), from the call to the last chunk or the failure.
 */
function tracedProvider(inner: ModelProvider, tracer: ReturnType<TracerProvider['getTracer']>): ModelProvider {
  return {
    name: inner.name,
    stream(request: CompletionRequest) {
      const parent = context.active();
      if (!trace.getSpan(parent)) return inner.stream(request);
      const attributes: Record<string, string> = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': inner.name };
      if (request.model) attributes['gen_ai.request.model'] = request.model;
      const span = tracer.startSpan(`chat ${request.model ?? inner.name}`, { kind: SpanKind.CLIENT, attributes }, parent);
      return (async function* () {
        try {
          for await (const chunk of inner.stream(request)) {
            if (chunk.type === 'end') {
              span.setAttributes({ 'gen_ai.response.model': chunk.model, 'gen_ai.response.finish_reasons': [chunk.finishReason.toLowerCase()] });
              if (chunk.usage) span.setAttributes({ 'gen_ai.usage.input_tokens': chunk.usage.promptTokens, 'gen_ai.usage.output_tokens': chunk.usage.completionTokens });
            }
            yield chunk;
          }
        } catch (error) {
          const reason = (error as { reason?: unknown }).reason;
          span.setStatus({ code: SpanStatusCode.ERROR, message: typeof reason === 'string' ? reason : error instanceof Error ? error.name : 'error' });
          throw error;
        } finally {
          span.end();
        }
      })();
    },
  };
}
