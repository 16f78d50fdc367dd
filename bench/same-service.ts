import type { IncomingHttpHeaders } from 'node:http';
import { createApp } from '../src/server/app.js';
import { createAuthenticator } from '../src/server/auth.js';
import type { Config } from '../src/server/config.js';
import type { SessionService } from '../src/core/service/index.js';
import { scopeService, type Caller } from '../src/core/service/scoped.js';
import type { Storage } from '../src/core/storage.js';
import { createLiveStreams, type LiveStreams } from '../src/live/streams.js';
import { createRunChannel } from '../src/live/run-channel.js';

export interface SameService {
  /** The service exactly as Parley's app builds it: storage timeouts, event bus, runs. */
  service: SessionService;
  live: LiveStreams;
  /** Authenticates a request from its headers, as Parley does, and scopes the service to the caller. */
  forRequest(headers: IncomingHttpHeaders): Promise<{ caller: Caller; service: SessionService }>;
}

/**
 * The session service that R and Mercurius use, so that they do Parley's work: it is the one
 * createApp builds (its `service`, never listened on), and every request authenticates and gets
 * it scoped to its caller, as Parley's context does. The live streams are only there because the
 * schema's context needs them (S1-S3 subscribe to nothing).
 */
export function sameService(storage: Storage, config: Config): SameService {
  const app = createApp({ storage, config });
  const authenticate = createAuthenticator(config.auth);
  const live = createLiveStreams({ service: app.service, bus: app.events, runs: createRunChannel() }, { buffer: config.subscriptionBuffer, settleMs: 2000 });
  const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return {
    service: app.service,
    live,
    async forRequest(headers) {
      const caller = await authenticate({ authorization: header(headers.authorization), apiKey: header(headers['x-api-key']) });
      return { caller, service: scopeService(app.service, caller) };
    },
  };
}
