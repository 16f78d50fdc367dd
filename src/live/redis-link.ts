import { Redis } from 'ioredis';
import { EventBusUnavailableError } from '../core/errors.js';
import type { Logger } from '../log.js';

export interface RedisLinkOptions {
  url: string;
  logger?: Logger | undefined;
  /** How often the connections are checked with a PING (1000 ms by default). */
  heartbeatMs?: number | undefined;
  /** How long a PING, or a new subscription, may wait for Redis before it counts as down (3000 ms by default). */
  timeoutMs?: number | undefined;
  /** The channels subscribed to now: subscribed again on a new connection. */
  channels(): Iterable<string>;
  onMessage(channel: string, text: string): void;
  /** The link is up again after an outage, every channel subscribed again: what was published meanwhile is lost. */
  onResync(): void;
}

/** Redis pub/sub for the event bus, which knows at every moment whether it can deliver. */
export interface RedisLink {
  /** Both connections answer and every channel is subscribed. */
  isUp(): boolean;
  /** Fire and forget; dropped (false) while the link is down, since it could only arrive late. `done` learns whether Redis took it. */
  publish(channel: string, text: string, done?: (ok: boolean) => void): boolean;
  /** Resolves once the channel is subscribed; fails with EventBusUnavailableError after timeoutMs. */
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): void;
  /** QUIT when up; when down there is nothing to flush, and the connections are dropped at once. */
  close(): Promise<void>;
}

const noop = () => {};

export function createRedisLink(options: RedisLinkOptions): RedisLink {
  const { url, logger, heartbeatMs = 1000, timeoutMs = 3000 } = options;
  // Publishing never waits: a command that cannot be sent at once fails rather than being sent
  // late, after a reconnection, when the subscribers have been told to resync anyway.
  const pub = new Redis(url, { maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false });
  // Channels are subscribed again by probe() on each new connection, not by ioredis (whose own
  // resubscription leaves its promise unhandled).
  const sub = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: false });
  let up = false;
  let everUp = false;
  let closed = false;
  /** Bumped each time the link goes down: a probe started before that proves nothing. */
  let epoch = 0;
  let probing = false;
  let probeAgain = false;
  let dropped = 0;
  let upWaiters: (() => void)[] = [];

  /** Woken when the link goes down (a close waits for QUIT only while the connection lives). */
  let onDown: (() => void) | null = null;

  function down(reason: string): void {
    epoch += 1;
    onDown?.();
    if (!up || closed) return;
    up = false;
    logger?.warn(`event bus: lost Redis (${reason}); live events stop until it is back, then subscribers get RESYNC`);
  }

  async function probe(): Promise<void> {
    if (closed) return;
    if (probing) {
      probeAgain = true;
      return;
    }
    probing = true;
    const started = epoch;
    try {
      if (pub.status !== 'ready' || sub.status !== 'ready') return down('not connected');
      const checks: Promise<unknown>[] = [pub.ping(), sub.ping()];
      if (!up) {
        const channels = [...options.channels()];
        if (channels.length > 0) checks.unshift(sub.subscribe(...channels));
      }
      await bounded(Promise.all(checks), timeoutMs);
      if (up || epoch !== started || closed) return;
      up = true;
      for (const wake of upWaiters.splice(0)) wake();
      if (!everUp) logger?.info('event bus: connected to Redis');
      if (everUp) {
        logger?.info(`event bus: Redis is back; ${dropped} publication(s) of the outage were lost; subscribers get RESYNC`);
        dropped = 0;
        options.onResync();
      }
      everUp = true;
    } catch (error) {
      // A connection closed meanwhile has been reported already, and ioredis is making a new one.
      if (epoch !== started || closed) return;
      down(`no answer within ${timeoutMs} ms: ${(error as Error).message}`);
      // A connection that hangs (a paused or partitioned Redis) is dropped and made again; the
      // next probe runs once both are ready.
      for (const client of [pub, sub]) if (client.status === 'ready') client.disconnect(true);
      probeAgain = false;
    } finally {
      probing = false;
      if (probeAgain) {
        probeAgain = false;
        void probe();
      }
    }
  }

  for (const [client, role] of [[pub, 'publish'], [sub, 'subscribe']] as const) {
    client.on('error', (error: Error) => {
      if (up) logger?.warn(`event bus: Redis ${role} connection problem`, { error });
      else logger?.debug(`event bus: Redis ${role} connection problem`, { error });
    });
    client.on('close', () => down(`${role} connection closed`));
    client.on('ready', () => void probe());
  }
  sub.on('message', (channel: string, text: string) => options.onMessage(channel, text));
  const heartbeat = setInterval(() => void probe(), heartbeatMs);
  heartbeat.unref();

  function whenUp(ms: number): Promise<void> {
    if (up) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        upWaiters = upWaiters.filter((w) => w !== wake);
        reject(new EventBusUnavailableError());
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      upWaiters.push(wake);
    });
  }

  return {
    isUp: () => up,
    publish(channel, text, done) {
      if (!up) {
        dropped += 1;
        return false;
      }
      pub.publish(channel, text).then(
        () => done?.(true),
        (error: unknown) => {
          dropped += 1;
          logger?.debug('event bus: a publish failed', { error });
          done?.(false);
        },
      );
      return true;
    },
    async subscribe(channel) {
      if (closed) throw new EventBusUnavailableError('The event bus is closed');
      const deadline = Date.now() + timeoutMs;
      await whenUp(timeoutMs);
      try {
        await bounded(sub.subscribe(channel), Math.max(0, deadline - Date.now()));
      } catch {
        throw new EventBusUnavailableError();
      }
    },
    unsubscribe(channel) {
      if (!closed) sub.unsubscribe(channel).catch(noop);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (up) {
        const lost = new Promise<void>((resolve) => (onDown = resolve));
        await Promise.race([Promise.all([pub.quit().catch(noop), sub.quit().catch(noop)]), lost]);
      }
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** The promise's outcome, or a rejection after `ms`; the promise's own later failure is ignored. */
function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(noop);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
