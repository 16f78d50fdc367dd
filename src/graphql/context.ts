import type { SessionService } from '../core/service/index.js';

/** Built anew for every request (and every subscription): loaders hang off it, never off a module. */
export interface Context {
  service: SessionService;
  /** Correlates log lines and error reports of one request. */
  requestId: string;
}
