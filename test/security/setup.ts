import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App, type AppConfig } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { httpFetch, LEAN_HTTP } from '../http-path.js';

export const KEYS = { owner: 'alice-key', other: 'bob-key', admin: 'ops-key' } as const;
export type Role = 'owner' | 'other' | 'admin' | 'anonymous';
export const ROLES: Role[] = ['owner', 'other', 'admin', 'anonymous'];

/** An app with API keys for alice (owner), bob (other) and ops (admin). */
export function securedApp(overrides: Partial<AppConfig> = {}): App {
  const config = loadConfig({ LEAN_HTTP, AUTH_MODE: 'apikey', API_KEYS: `alice:${KEYS.owner},bob:${KEYS.other},ops:${KEYS.admin}:admin` });
  return createApp({ storage: createMemoryStorage(), config: { ...config, shutdownTimeoutMs: 500, ...overrides } });
}

export const keyOf = (role: Role) => (role === 'anonymous' ? null : KEYS[role]);

export interface Outcome {
  /** HTTP status, or the WebSocket close code when the connection was refused. */
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs a query or mutation over HTTP (a listening server, see test/http-path.ts) as `role`. */
export async function overHttp(app: App, role: Role, query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  const key = keyOf(role);
  const response = await httpFetch(app, 'http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Runs an operation over graphql-ws as `role`; a subscription yields its first event (or its error). */
export async function overWebSocket(url: string, role: Role, query: string, variables: Record<string, unknown> = {}, trigger?: () => Promise<unknown>): Promise<Outcome> {
  const key = keyOf(role);
  let closeCode = 0;
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    on: { closed: (event) => void (closeCode = (event as { code: number }).code) },
  });
  try {
    return await new Promise<Outcome>((resolve) => {
      let triggered = false;
      const unsubscribe = client.subscribe(
        { query, variables },
        {
          next: (result) => {
            unsubscribe();
            resolve({ status: 200, data: (result.data ?? null) as Record<string, unknown> | null, ...(result.errors && { errors: result.errors as Outcome['errors'] }) });
          },
          error: (error) => {
            if (Array.isArray(error)) return resolve({ status: 200, errors: error as Outcome['errors'] });
            resolve({ status: closeCode || 0 });
          },
          complete: () => resolve({ status: 200, data: null }),
        },
      );
      if (trigger) {
        client.on('connected', () => {
          if (triggered) return;
          triggered = true;
          void trigger();
        });
      }
    });
  } finally {
    await client.dispose();
  }
}

/** Runs a subscription over Server-Sent Events (a listening server) as `role`, giving its first event. */
export async function overSse(app: App, role: Role, query: string, variables: Record<string, unknown> = {}, trigger?: () => Promise<unknown>): Promise<Outcome> {
  const key = keyOf(role);
  const response = await httpFetch(app, 'http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(key && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    return { status: response.status, ...((await response.json()) as object) };
  }
  if (trigger) void trigger();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  try {
    for (;;) {
      const line = text.split('\n').find((l) => l.startsWith('data: '));
      if (line) return { status: response.status, ...(JSON.parse(line.slice(6)) as object) };
      const { value, done } = await reader.read();
      if (done) return { status: response.status, data: null };
      text += new TextDecoder().decode(value);
    }
  } finally {
    await reader.cancel();
  }
}

/** Resolves once `check` holds (polling). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
