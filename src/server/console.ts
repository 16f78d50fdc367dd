import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * Where `npm run build` puts the console's bundle: dist/console/, found from this module whether it
 * runs as TypeScript (src/server/) or compiled (dist/src/server/).
 */
export const BUILT_CONSOLE_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/src/server/') ? '../../console/' : '../../dist/console/', import.meta.url),
);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The bundle is self-contained: nothing is fetched from elsewhere, and no inline script runs.
const POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface ConsoleOptions {
  /** The folder holding index.html and the bundle (BUILT_CONSOLE_DIR by default). */
  dir?: string;
  /** Whether GraphiQL is served too (the landing page links to it). */
  graphiql: boolean;
}

/**
 * Serves the Parley Console: /console (its page) and /console/<file> (its assets), and a landing
 * page at / that links to it and to GraphiQL. Only GET and HEAD; everything else passes on to yoga.
 */
export function useConsole({ dir = BUILT_CONSOLE_DIR, graphiql }: ConsoleOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const path = url.pathname;
      if (path === '/') {
        endResponse(new fetchAPI.Response(landingPage(graphiql), { headers: { 'content-type': TYPES['.html']!, 'content-security-policy': POLICY } }));
        return;
      }
      if (path !== '/console' && path !== '/console/' && !path.startsWith('/console/')) return;
      const name = path === '/console' || path === '/console/' ? 'index.html' : path.slice('/console/'.length);
      if (!/^[\w-]+(?:\.[\w-]+)+$/.test(name)) {
        endResponse(new fetchAPI.Response('Not found', { status: 404 }));
        return;
      }
      let body: Buffer;
      try {
        body = await readFile(join(dir, name));
      } catch {
        const missing = name === 'index.html';
        const text = missing ? 'The Parley Console is not built: run `npm run build`, then reload.' : 'Not found';
        endResponse(new fetchAPI.Response(text, { status: missing ? 503 : 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const headers = {
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': POLICY,
      };
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers }));
    },
  };
}

function landingPage(graphiql: boolean): string {
  const links = [
    '<li><a href="/console">Parley Console</a>: browse sessions, follow them live, talk</li>',
    graphiql ? '<li><a href="/graphql">GraphiQL</a>: the GraphQL API, with its documentation</li>' : '',
  ].join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Parley</title></head><body><main><h1>Parley</h1><ul>${links}</ul></main></body></html>`;
}
