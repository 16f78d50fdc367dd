import type { SessionService } from '../core/service/index.js';
import type { Caller } from '../core/service/scoped.js';
import type { LiveStreams } from '../live/streams.js';

/** Built anew for every request (and every subscription): loaders hang off it, never off a module. */
export interface Context {
  /** The session service as the caller may use it (scoped to its own data unless an admin). */
  service: SessionService;
  caller: Caller;
  live: LiveStreams;
  /** Correlates log lines and error reports of one request. */
  requestId: string;
  /** Closes the client's connection with a WebSocket close code; absent over HTTP and SSE. */
  closeConnection?: ((code: number, reason: string) => void) | undefined;
}
