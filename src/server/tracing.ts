import type { Tracing, TracingConfig } from './tracing-types.js';

/**
 * The tracing of `config`, or null when there is none. The OpenTelemetry SDK is imported only
 * here, on demand: without an endpoint nothing of it is loaded and nothing is traced.
 */
export async function loadTracing(config: TracingConfig | null): Promise<Tracing | null> {
  if (!config) return null;
  const { createTracing } = await import('./tracing-sdk.js');
  return createTracing(config);
}
