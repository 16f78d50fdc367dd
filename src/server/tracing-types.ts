import type { RequestListener } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { ModelProvider } from '../core/provider.js';
import type { Run } from '../core/run.js';

/** OTEL_TRACES_SAMPLER's values that Parley honours: the OpenTelemetry SDK's own samplers. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

/** OpenTelemetry tracing, on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT…). */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  url: string;
  /** service.name of the resource (OTEL_SERVICE_NAME, "parley" by default). */
  serviceName: string;
  /** Sent with every export, such as an API key of the collector (OTEL_EXPORTER_OTLP_HEADERS). */
  headers: Record<string, string>;
  /** Which traces are kept (OTEL_TRACES_SAMPLER, parentbased_always_on by default), and the ratio of the ratio samplers (OTEL_TRACES_SAMPLER_ARG, 1 by default). */
  sampler: { name: TraceSampler; ratio: number };
}

/** Where a caller's span is named: `traceparent` and `tracestate`, as in HTTP headers. */
export interface TraceCarrier {
  traceparent?: string | string[] | undefined;
  tracestate?: string | string[] | undefined;
}

/** The root span of an operation over WebSocket (which has no HTTP request to hang it on). */
export interface OperationSpan {
  /** Calls `fn` with the operation's span active: the phases and storage calls it makes go beneath it. */
  within<T>(fn: () => T): T;
  /** Names the span once the document says what it runs: `subscription Watch`. */
  named(type: string, name: string | null): void;
  /** Ends the span (once; later calls do nothing), with the error code the operation ended with, if any. */
  end(errorCode: string | null): void;
}

/** A span that ends once the call it covers has answered. */
export interface CallSpan {
  end(error?: unknown): void;
}

export interface Tracing {
  /**
   * Wraps a node:http listener: a GraphQL request (to `endpoint`) gets a SERVER span, child of the
   * incoming `traceparent` when there is one, active while the request is handled, and the
   * response names it in `traceresponse` and `server-timing` headers. Other paths pass through.
   */
  http(listener: RequestListener, endpoint?: string): RequestListener;
  /** The envelop plugin: parse, validate, execute and subscribe spans under the request's span, the request id on it. */
  plugin: Plugin;
  /** A span for one storage call, child of whatever span is active (the execute phase, usually). */
  storageCall(method: string): CallSpan;
  /**
   * A SERVER span for an operation over WebSocket (see OperationSpan): a child of the span that
   * `caller` names in W3C Trace Context form, the root of a trace of its own when it names none.
   */
  operation(endpoint: string, requestId: string, caller: TraceCarrier): OperationSpan;
  /**
   * Runs one run's work (`work`: from taking its session's slot to handing it over) under a span
   * of its own, linked to the span active when it started (the request that sent the message, or
   * the run before it in the queue): a run outlives its request. Ended when the work is, with the
   * run's status as `work` resolves it.
   */
  run(run: Run, work: () => Promise<Run | null>): Promise<Run | null>;
  /** The same provider, each completion it streams a CLIENT span (`chat <model>`) under the active span. */
  provider(provider: ModelProvider): ModelProvider;
  /** Exports the spans ended so far (they are otherwise sent in batches, every few seconds). */
  flush(): Promise<void>;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}
