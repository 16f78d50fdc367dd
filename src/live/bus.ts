import type { EventSink, SessionEvent } from '../core/events.js';
import type { Message, Session } from '../core/model.js';
import type { Logger } from '../log.js';
import { createRedisLink, type RedisLink } from './redis-link.js';

/** Events of one session (its new messages, its deletion), or of the sessions of one owner. */
export type Topic = { session: string } | { owner: string | null };

/**
 * The bus lost its connection and has it again: events of that time may be lost, and what a
 * subscriber holds may be stale. Sent to every subscriber of every topic, as one object, once the
 * topics are subscribed again (an event published after it is delivered).
 */
export interface Resync {
  type: 'RESYNC';
}

/** What subscribers receive: the session service's events, and RESYNC from the bus itself. */
export type BusEvent = SessionEvent | Resync;

export type Listener = (event: BusEvent) => void;

/**
 * Typed pub/sub between the session service and live subscribers. In-process by default; over
 * Redis pub/sub when a Redis URL is given, so that a subscriber on one instance receives what is
 * written through another. Listeners are called synchronously on delivery and must not block.
 */
export interface EventBus extends EventSink {
  /**
   * Resolves once the subscription is active: an event published after that is delivered. Fails
   * with EventBusUnavailableError when Redis does not let it start within a few seconds.
   */
  subscribe(topic: Topic, listener: Listener): Promise<() => void>;
  /** Listeners currently registered on this instance (resources held for subscribers). */
  listenerCount(): number;
  /** False while a Redis bus has no working connection (events are then lost); always true in-process. */
  isUp(): boolean;
  /** Reports each publication to `observer` from now on (metrics); one observer at a time. */
  observe?(observer: PublishObserver): void;
  close(): Promise<void>;
}

/** How a publication to one topic went: delivered in-process or acknowledged by Redis (ok), refused by Redis (failed), or dropped while Redis is down. */
export type PublishOutcome = 'ok' | 'failed' | 'dropped';

export interface PublishObserver {
  /** `seconds`: until Redis acknowledged the PUBLISH; null in-process and when dropped. */
  published(outcome: PublishOutcome, seconds: number | null): void;
}

const topicName = (topic: Topic) => ('session' in topic ? `session:${topic.session}` : topic.owner === null ? 'owner:*' : `owner:${topic.owner}`);

/** The topics an event goes to: its session's (messages and deletion), its owner's, and the all-owners one. */
function topicsOf(event: SessionEvent): string[] {
  const { id, ownerId } = event.session;
  const topics: Topic[] = event.type === 'MESSAGES_ADDED' || event.type === 'SESSION_DELETED' ? [{ session: id }] : [];
  if (ownerId !== null) topics.push({ owner: ownerId });
  topics.push({ owner: null });
  return topics.map(topicName);
}

export interface EventBusOptions {
  /** redis://… to share events between instances; in-process when absent. */
  redisUrl?: string | null | undefined;
  logger?: Logger | undefined;
  /** Redis only: how often the connections are checked (1000 ms by default). */
  heartbeatMs?: number | undefined;
  /** Redis only: how long Redis may take to answer a check or start a subscription (3000 ms by default). */
  timeoutMs?: number | undefined;
}

export function createEventBus({ redisUrl, logger, heartbeatMs, timeoutMs }: EventBusOptions = {}): EventBus {
  const listeners = new Map<string, Set<Listener>>();
  let count = 0;

  function deliver(name: string, event: BusEvent): void {
    const set = listeners.get(name);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        logger?.error('an event listener failed', { error, event: event.type });
      }
    }
  }

  let link: RedisLink | null = null;
  if (redisUrl) {
    link = createRedisLink({
      url: redisUrl,
      logger,
      heartbeatMs,
      timeoutMs,
      channels: () => listeners.keys(),
      onMessage(channel, text) {
        if (!listeners.has(channel)) return;
        let event: SessionEvent;
        try {
          event = wire.parse(text);
        } catch (error) {
          logger?.warn('event bus: an event could not be read', { error, channel });
          return;
        }
        deliver(channel, event);
      },
      onResync() {
        // One object for every subscriber: subscribers with the same query share its execution.
        const resync: Resync = { type: 'RESYNC' };
        for (const name of [...listeners.keys()]) deliver(name, resync);
      },
    });
  }
  const transport = link;
  let observer: PublishObserver | null = null;

  return {
    publish(event) {
      const topics = topicsOf(event);
      const watch = observer;
      if (!transport) {
        for (const name of topics) {
          deliver(name, event);
          watch?.published('ok', null);
        }
        return;
      }
      const text = wire.stringify(event);
      for (const name of topics) {
        if (!watch) {
          transport.publish(name, text);
          continue;
        }
        const start = performance.now();
        const sent = transport.publish(name, text, (ok) => watch.published(ok ? 'ok' : 'failed', (performance.now() - start) / 1000));
        if (!sent) watch.published('dropped', null);
      }
    },
    observe(next) {
      observer = next;
    },
    async subscribe(topic, listener) {
      const name = topicName(topic);
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      // A function of its own per subscription, so that the same listener may subscribe twice.
      const own: Listener = (event) => listener(event);
      set.add(own);
      count += 1;
      let active = true;
      const unsubscribe = () => {
        if (!active) return;
        active = false;
        count -= 1;
        set.delete(own);
        if (set.size === 0 && listeners.get(name) === set) {
          listeners.delete(name);
          transport?.unsubscribe(name);
        }
      };
      try {
        await transport?.subscribe(name);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },
    listenerCount: () => count,
    isUp: () => transport?.isUp() ?? true,
    close: async () => transport?.close(),
  };
}

/** Session events as JSON on the wire, with their dates restored on arrival. */
const wire = {
  stringify: (event: SessionEvent) => JSON.stringify(event),
  parse(text: string): SessionEvent {
    const event = JSON.parse(text) as SessionEvent;
    const session = reviveSession(event.session);
    return event.type === 'MESSAGES_ADDED'
      ? { type: event.type, session, messages: event.messages.map(reviveMessage) }
      : { type: event.type, session };
  },
};

const date = (value: Date | string) => new Date(value);
const optionalDate = (value: Date | string | null) => (value === null ? null : new Date(value));

function reviveSession(s: Session): Session {
  return {
    ...s,
    createdAt: date(s.createdAt),
    updatedAt: date(s.updatedAt),
    firstMessageAt: optionalDate(s.firstMessageAt),
    lastMessageAt: optionalDate(s.lastMessageAt),
    expiresAt: optionalDate(s.expiresAt),
  };
}

function reviveMessage(m: Message): Message {
  return { ...m, createdAt: date(m.createdAt) };
}
