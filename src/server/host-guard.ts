import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isLoopback } from './config.js';

/**
 * Which Host names a server answers: null for any. A server bound to a loopback address answers
 * only loopback names unless ALLOWED_HOSTS adds others. That is the defence against DNS
 * rebinding: a page on a site whose name an attacker points at 127.0.0.1 is "same-origin" with a
 * Parley on the visitor's machine, so the cross-site checks let it through; only the Host header
 * it sends (the attacker's name) tells it apart.
 */
export type AllowedHosts = readonly string[] | null;

/** The name of a Host header, lower-cased, without its port ("[::1]:4000" → "[::1]"). */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Whether a request with this Host header may be answered. A request without one (HTTP/1.0) is:
 * browsers always send it. `.example.com` in the list admits example.com and its subdomains.
 */
export function hostAllowed(header: string | undefined, allowed: AllowedHosts): boolean {
  if (allowed === null || header === undefined) return true;
  const name = hostName(header);
  if (name === '') return false;
  if (isLoopback(name) || name.endsWith('.localhost')) return true;
  return allowed.some((entry) => (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry));
}

/** What a refused request is told, over HTTP or in a refused WebSocket upgrade. */
export function hostRefusal(header: string | undefined): string {
  return `Host "${header ?? ''}" is not allowed: this server listens on a loopback address and answers only localhost names (a page served from another name reaching it would be DNS rebinding); add the name to ALLOWED_HOSTS to reach it so`;
}

/** The listener, refusing requests whose Host is not allowed with 403 and a GraphQL error body. */
export function guardHosts(listener: RequestListener, allowed: AllowedHosts): RequestListener {
  if (allowed === null) return listener;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (hostAllowed(req.headers.host, allowed)) return listener(req, res);
    const body = JSON.stringify({ errors: [{ message: hostRefusal(req.headers.host), extensions: { code: 'HOST_NOT_ALLOWED' } }] });
    req.resume();
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}
