import { expect } from 'vitest';
import type { Running } from '../live/helpers.js';

/** /metrics of the server whose GraphQL endpoint is r.url. */
export const metricsUrl = (r: Running) => r.url.replace(/\/graphql$/, '/metrics');

export async function scrape(r: Running): Promise<string> {
  const response = await fetch(metricsUrl(r));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample: `name{labels}` with exactly these labels, 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return 0;
}

