/**
 * The servers an HTTP scenario measures, each in its own process (serve.ts):
 * - `r`: R, plain node:http and the scenario's hand-written handler over Parley's own service
 *   (storage timeouts, event bus, scoped to the caller): Parley's work minus GraphQL and HTTP framework;
 * - `parley`: Parley with METRICS=false (metrics are on by default only on a loopback HOST, or guarded);
 * - `mercurius`: Mercurius + fastify with graphql-jit, on Parley's schema object and service;
 * - `r-bare` (S1 only): R as earlier runs built it, over a bare service (no timeouts, bus or scoping);
 * - `parley-metrics` (S1 only): Parley with METRICS=true;
 * - `parley-yoga` (S1, S2): Parley with LEAN_HTTP=false, every request on yoga's own path (`parley`
 *   takes the lean HTTP path for plain JSON POSTs, the default).
 */
export const SYSTEMS = ['r', 'parley', 'mercurius', 'r-bare', 'parley-metrics', 'parley-yoga'] as const;
export type System = (typeof SYSTEMS)[number];

export const CORE_SYSTEMS: System[] = ['r', 'parley', 'mercurius'];

export const SYSTEM_NAMES: Record<System, string> = {
  r: 'R',
  parley: 'Parley',
  mercurius: 'Mercurius',
  'r-bare': 'R bare',
  'parley-metrics': 'Parley+metrics',
  'parley-yoga': "Parley on yoga's path",
};
