import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { EventSink, SessionEvent } from './core/events.js';
import type { Message, Session } from './core/model.js';
import type { Logger } from './log.js';

/** Events of one session (its new messages, its deletion), or of the sessions of one owner. */
export type Topic = { session: string } | { owner: string | null };

export type Listener = (event: SessionEvent) => void;

/**
 * Typed pub/sub between the session service and live subscribers. In-process by default; over
 * Redis pub/sub when a Redis URL is given, so that a subscriber on one instance receives what is
 * written through another. Listeners are called synchronously on delivery and must not block.
 */
export interface EventBus extends EventSink {
  /** Resolves once the subscription is active: an event published after that is delivered. */
  subscribe(topic: Topic, listener: Listener): Promise<() => void>;
  /** Listeners currently registered on this instance (resources held for subscribers). */
  listenerCount(): number;
  close(): Promise<void>;
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

interface EventTargetLike {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

export interface EventBusOptions {
  /** redis://… to share events between instances; in-process when absent. */
  redisUrl?: string | null | undefined;
  logger?: Logger | undefined;
}

export function createEventBus({ redisUrl, logger }: EventBusOptions = {}): EventBus {
  let target: EventTargetLike;
  let ready: (topic: string) => Promise<void> = async () => {};
  let closeTransport = async () => {};
  if (redisUrl) {
    const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    for (const client of [publishClient, subscribeClient]) {
      client.on('error', (error: Error) => logger?.warn('redis connection problem', { error }));
    }
    target = createRedisEventTarget({ publishClient, subscribeClient, serializer: wire }) as unknown as EventTargetLike;
    // Redis applies commands of one connection in order: once this SUBSCRIBE is acknowledged, the
    // event target's own SUBSCRIBE for the topic (sent just before) is active too.
    ready = async (topic) => void (await subscribeClient.subscribe(topic));
    closeTransport = async () => {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]);
    };
  } else {
    const local = new EventTarget();
    // One listener per subscriber on a topic: thousands are expected, not a leak.
    setMaxListeners(Number.POSITIVE_INFINITY, local);
    target = local;
  }
  let listeners = 0;

  return {
    publish(event) {
      for (const topic of topicsOf(event)) target.dispatchEvent(new CustomEvent(topic, { detail: event }));
    },
    async subscribe(topic, listener) {
      const name = topicName(topic);
      const handler = (event: Event) => listener((event as CustomEvent<SessionEvent>).detail);
      target.addEventListener(name, handler);
      listeners += 1;
      let active = true;
      const unsubscribe = () => {
        if (!active) return;
        active = false;
        listeners -= 1;
        target.removeEventListener(name, handler);
      };
      try {
        await ready(name);
      } catch (error) {
        unsubscribe();
        throw error;
      }
      return unsubscribe;
    },
    listenerCount: () => listeners,
    close: () => closeTransport(),
  };
}

/** Session events as JSON on the wire, with their dates restored on arrival. */
const wire = {
  stringify: (event: unknown) => JSON.stringify(event),
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
