import type { Caller } from '../core/service/scoped.js';

/**
 * What a transport hands to the context factory besides the request: WebSocket operations set all
 * three. Its own file, so that app.ts and ws.ts both import it and neither imports the other back.
 */
export interface ServerContext {
  requestId?: string;
  /** The caller, when the transport authenticated it already (a WebSocket, at connection_init). */
  caller?: Caller;
  closeConnection?: (code: number, reason: string) => void;
}
