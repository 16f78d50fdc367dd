import { Redis } from 'ioredis';
import type { Message } from '../core/model.js';
import type { Run, RunChannel, RunEvent } from '../core/run.js';
import type { Logger } from '../log.js';
import { LiveQueue, type Overflow } from './queue.js';
import { createRedisLink, type RedisLink } from './redis-link.js';

/**
 * The run channel of a server: run events kept for replay and delivered live, and cancellations
 * between instances. In-process without Redis. With Redis, each run's events are a Redis stream
 * (`parley:run:<id>`, entry ids 0-<offset>), written together with a pub/sub announcement on one
 * connection, so a subscriber that listens first and reads the stream next misses nothing.
 */
export interface LiveRunChannel extends RunChannel {
  /**
   * The run's events after `afterOffset` in offset order: what was published so far, then live
   * ones, ending after END. `ended` is called when the log has nothing more and the run may be over
   * already; it returns the END to deliver (from storage) or null when the run is still going.
   */
  open(runId: string, afterOffset: number, options: OpenOptions): Promise<LiveQueue<RunEvent>>;
  isUp(): boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  buffer: number;
  onOverflow: Overflow<RunEvent>;
  /** The END of a run that is over, built from storage (its log may have expired); null while it runs. */
  endFromStorage(): Promise<RunEvent | null>;
}

export interface RunChannelOptions {
  redisUrl?: string | null | undefined;
  logger?: Logger | undefined;
  /** How long a finished run's events stay replayable (10 minutes by default). */
  retainMs?: number | undefined;
  heartbeatMs?: number | undefined;
  timeoutMs?: number | undefined;
}

const CANCEL_CHANNEL = 'runs:cancel';
const DEFAULT_RETAIN_MS = 10 * 60_000;
/** A run's log lives at most this long in Redis even when its END never comes (its instance died mid-publish). */
const MAX_LOG_MS = 24 * 3600_000;

type Listener = (event: RunEvent) => void;

/** Where a run's events are kept: in-process, or in Redis. */
interface Log {
  append(event: RunEvent): void;
  read(runId: string, afterOffset: number): Promise<RunEvent[]>;
  last(runId: string): Promise<number>;
}

export function createRunChannel(options: RunChannelOptions = {}): LiveRunChannel {
  const { logger } = options;
  const retainMs = options.retainMs ?? DEFAULT_RETAIN_MS;
  const listeners = new Map<string, Set<Listener>>();
  const cancelListeners = new Set<(runId: string) => void>();
  const resyncs = new Set<() => void>();

  function deliver(runId: string, event: RunEvent): void {
    for (const listener of listeners.get(runId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        logger?.error('a run event listener failed', { error });
      }
    }
  }

  function cancelled(runId: string): void {
    for (const listener of cancelListeners) listener(runId);
  }

  let link: RedisLink | null = null;
  let data: Redis | null = null;
  let log: Log;
  if (options.redisUrl) {
    const client = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false });
    client.on('error', () => {}); // the link reports outages; commands fail on their own
    data = client;
    link = createRedisLink({
      url: options.redisUrl,
      logger,
      heartbeatMs: options.heartbeatMs,
      timeoutMs: options.timeoutMs,
      channels: () => [CANCEL_CHANNEL, ...[...listeners.keys()].map(channelOf)],
      onMessage(channel, text) {
        if (channel === CANCEL_CHANNEL) return cancelled(text);
        let event: RunEvent;
        try {
          event = parseEvent(text);
        } catch (error) {
          logger?.warn('run events: an event could not be read', { error, channel });
          return;
        }
        deliver(event.runId, event);
      },
      onResync() {
        for (const resync of resyncs) resync();
      },
    });
    client.defineCommand('parleyRunAppend', { numberOfKeys: 1, lua: APPEND_SCRIPT });
    const append = client as unknown as { parleyRunAppend(key: string, offset: number, json: string, ttlMs: number, channel: string): Promise<number> };
    log = {
      append(event) {
        append
          .parleyRunAppend(keyOf(event.runId), event.offset, JSON.stringify(event), event.type === 'END' ? retainMs : MAX_LOG_MS, channelOf(event.runId))
          .catch((error: unknown) => logger?.warn('run events: an event could not be sent to Redis', { error, runId: event.runId, offset: event.offset }));
      },
      async read(runId, afterOffset) {
        const entries = await client.xrange(keyOf(runId), `(0-${afterOffset}`, '+');
        return entries.map(([, fields]) => parseEvent(fields[1] as string));
      },
      async last(runId) {
        const [entry] = await client.xrevrange(keyOf(runId), '+', '-', 'COUNT', 1);
        return entry ? Number(entry[0].split('-')[1]) : 0;
      },
    };
    void link.subscribe(CANCEL_CHANNEL).catch((error: unknown) => logger?.warn('run events: cannot follow cancellations yet', { error }));
  } else {
    const logs = new Map<string, RunEvent[]>();
    log = {
      append(event) {
        let events = logs.get(event.runId);
        if (!events) logs.set(event.runId, (events = []));
        const previous = events.at(-1);
        if (event.type === 'END' && previous && event.offset <= previous.offset) event = { ...event, offset: previous.offset + 1 };
        if (previous && (previous.type === 'END' || event.offset <= previous.offset)) return;
        events.push(event);
        if (event.type === 'END') setTimeout(() => logs.delete(event.runId), retainMs).unref();
        deliver(event.runId, event);
      },
      read: async (runId, afterOffset) => (logs.get(runId) ?? []).filter((e) => e.offset > afterOffset),
      last: async (runId) => logs.get(runId)?.at(-1)?.offset ?? 0,
    };
  }

  return {
    publish: (event) => log.append(event),
    lastOffset: (runId) => log.last(runId),
    requestCancel(runId) {
      if (link) link.publish(CANCEL_CHANNEL, runId);
      else cancelled(runId);
    },
    onCancel(listener) {
      cancelListeners.add(listener);
      return () => cancelListeners.delete(listener);
    },

    async open(runId, afterOffset, { buffer, onOverflow, endFromStorage }) {
      const queue: LiveQueue<RunEvent> = new LiveQueue(buffer, (undelivered) => onOverflow(queue, undelivered));
      let delivered = afterOffset;
      const early: RunEvent[] = [];
      let replaying = true;
      let filling = false;

      function take(event: RunEvent): boolean {
        if (event.offset <= delivered) return true;
        if (event.offset !== delivered + 1) return false;
        delivered = event.offset;
        queue.push(event);
        if (event.type === 'END') queue.end();
        return true;
      }

      /** Reads the log after what was delivered; fails the stream when events are lost for good. */
      let fillAgain = false;
      async function fill(): Promise<void> {
        if (filling) {
          fillAgain = true; // what arrived meanwhile may need this read's successor
          return;
        }
        filling = true;
        try {
          const events = await log.read(runId, delivered);
          for (const event of events) take(event);
          if (queue.isEnded) return;
          const end = await endFromStorage();
          if (!end || take(end) || end.offset <= delivered) return;
          // Events between what was delivered and the END are gone: the log expired, or a Redis
          // outage lost them. The END's message holds the whole reply, so the stream ends with it.
          delivered = end.offset;
          queue.push(end);
          queue.end();
        } catch (error) {
          queue.fail(error);
        } finally {
          filling = false;
          if (fillAgain && !queue.isEnded) {
            fillAgain = false;
            void fill();
          }
        }
      }

      const listener: Listener = (event) => {
        if (replaying) return void early.push(event);
        if (!take(event)) void fill();
      };
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(listener);
      const resync = () => void fill();
      resyncs.add(resync);
      queue.onEnd(() => {
        resyncs.delete(resync);
        set.delete(listener);
        if (set.size === 0 && listeners.get(runId) === set) {
          listeners.delete(runId);
          link?.unsubscribe(channelOf(runId));
        }
      });
      try {
        await link?.subscribe(channelOf(runId));
        for (const event of await log.read(runId, afterOffset)) take(event);
        replaying = false;
        for (const event of early.splice(0)) take(event);
        if (!queue.isEnded) await fill();
      } catch (error) {
        queue.return();
        throw error;
      }
      return queue;
    },

    isUp: () => link?.isUp() ?? true,
    async close() {
      await link?.close();
      await data?.quit().catch(() => data?.disconnect());
    },
  };
}

/**
 * Appends one event to a run's stream and announces it, in one step on the Redis server (see
 * RunChannel.publish): KEYS[1] the stream; ARGV: offset, JSON, TTL in ms, channel. An END whose
 * offset is taken goes right after the last entry (its JSON rewritten to say so); a DELTA whose
 * offset is taken, or anything after the END, appends and announces nothing. Returns the offset
 * written, or -1.
 */
const APPEND_SCRIPT = `
local offset = tonumber(ARGV[1])
local json = ARGV[2]
local isEnd = string.find(json, '^{"type":"END"') ~= nil
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then
  if string.find(last[1][2][2], '^{"type":"END"') then return -1 end
  local lastOffset = tonumber(string.match(last[1][1], '%-(%d+)$'))
  if offset <= lastOffset then
    if not isEnd then return -1 end
    json = string.gsub(json, '"offset":' .. offset .. ',', '"offset":' .. (lastOffset + 1) .. ',', 1)
    offset = lastOffset + 1
  end
end
redis.call('XADD', KEYS[1], '0-' .. offset, 'e', json)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], json)
return offset
`;

const keyOf = (runId: string) => `parley:run:${runId}`;
const channelOf = (runId: string) => `run:${runId}`;

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function parseEvent(text: string): RunEvent {
  const event = JSON.parse(text) as RunEvent;
  if (event.type === 'DELTA') return event;
  const run = event.run as Run;
  const message = event.message as Message | null;
  return {
    ...event,
    run: {
      ...run,
      createdAt: new Date(run.createdAt),
      startedAt: date(run.startedAt),
      endedAt: date(run.endedAt),
      leaseExpiresAt: date(run.leaseExpiresAt),
    },
    message: message && { ...message, createdAt: new Date(message.createdAt) },
  };
}
