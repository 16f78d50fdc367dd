import { inject } from 'vitest';
import type { App } from '../src/server/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Which request path the API and security suites run on: the lean one, or yoga's own (vitest.config.ts). */
    leanHttp: boolean;
  }
}

/** LEAN_HTTP for the suite being run, as a configuration variable for loadConfig (unset, so the default, outside a vitest project that says). */
export const LEAN_HTTP = providedLeanHttp();

function providedLeanHttp(): string | undefined {
  try {
    const lean = inject('leanHttp');
    return lean === undefined ? undefined : String(lean);
  } catch {
    return undefined;
  }
}

const started = new Map<App, Promise<string>>();

/**
 * fetch, sent to the app over real HTTP: the app listens on a free port from its first request
 * until the end of the test file (http-path.setup.ts stops it). `url` names only the path
 * (`http://parley.test/graphql` and `/graphql` are the same request).
 */
export async function httpFetch(app: App, url: string, init?: RequestInit): Promise<Response> {
  let base = started.get(app);
  if (!base) started.set(app, (base = app.start(0).then((endpoint) => endpoint.replace(/\/graphql$/, ''))));
  const { pathname, search } = new URL(url, 'http://parley.test');
  return fetch(`${await base}${pathname}${search}`, init);
}

/** Stops every app httpFetch started. */
export async function stopStarted(): Promise<void> {
  const apps = [...started.keys()];
  started.clear();
  await Promise.all(apps.map((app) => app.stop()));
}
