import autocannon from 'autocannon';
import type { Variables } from './scenario.js';

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers: any of them means the scenario is broken. */
  failures: number;
  /** Share of one core used by the load generator (this process) and by the server under test. */
  loadCpu: number;
  serverCpu: number;
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The HTTP request body of a GraphQL operation; the baseline receives exactly the same bytes. */
export const requestBody = (query: string, variables: Variables) => JSON.stringify({ query, variables });

/**
 * Loads `url` for `seconds` with `connections` connections; each connection cycles through the
 * bodies in order. Bodies are built once, so the load generator spends its time on the network.
 */
export async function load(
  url: string,
  bodies: string[],
  seconds: number,
  connections: number,
  serverCpuTime: () => Promise<NodeJS.CpuUsage>,
): Promise<LoadResult> {
  const [serverBefore, before, started] = [await serverCpuTime(), process.cpuUsage(), performance.now()];
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: bodies.map((body) => ({ method: 'POST' as const, headers: HEADERS, body })),
  });
  const micros = (performance.now() - started) * 1000;
  const [mine, serverAfter] = [process.cpuUsage(before), await serverCpuTime()];
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
    loadCpu: (mine.user + mine.system) / micros,
    serverCpu: (serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system) / micros,
  };
}

/** Posts one body and returns the parsed JSON answer (probes before a scenario's load). */
export async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: HEADERS, body });
  return { status: response.status, json: await response.json() };
}
