import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { GraphQLError } from 'graphql';
import type { Message } from '../../core/model.js';
import type { LiveQueue } from '../../live/queue.js';
import { changeType, type SessionChange } from '../../live/session-stream.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { MessageRef } from './message.js';
import { SessionRef } from './session.js';

/** WebSocket close code for a subscriber cut off because it fell too far behind (it may reconnect). */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 4413;

/** Cuts off a subscriber that stopped reading: its connection is closed, its stream fails with a code. */
export function cutOff<T>(ctx: Context) {
  return (queue: LiveQueue<T>) => {
    const reason = 'Subscriber too slow: too many undelivered events; reconnect (with afterSeq) to resume';
    ctx.closeConnection?.(SLOW_SUBSCRIBER_CLOSE_CODE, reason);
    queue.fail(new GraphQLError(reason, { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }));
  };
}

const SessionEventType = builder.enumType('SessionEventType', {
  values: {
    CREATED: {},
    UPDATED: {},
    DELETED: {},
    RESYNC: {
      description:
        'Events may have been lost (the server lost its event bus for a while and has it again): read your session list again. Such an event has no session.',
    },
  } as const,
});

const SessionEventRef = builder.objectRef<SessionChange>('SessionEvent').implement({
  description: 'A change to a session, for live session lists. New messages arrive as UPDATED; RESYNC asks for a refetch.',
  fields: (t) => ({
    type: t.field({ type: SessionEventType, resolve: changeType }),
    sessionId: t.id({
      nullable: true,
      description: 'Set for CREATED, UPDATED and DELETED; null for RESYNC.',
      resolve: (e) => (e.type === 'RESYNC' ? null : e.session.id),
    }),
    session: t.field({
      type: SessionRef,
      nullable: true,
      description: 'The session after the change (before it, for DELETED); null for RESYNC.',
      resolve: (e) => (e.type === 'RESYNC' ? null : e.session),
    }),
  }),
});

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  messageAdded: t.field({
    type: MessageRef,
    description:
      'Every message appended to the session, in seq order. With afterSeq, the stored messages after it come first, then live ones, with no gap and no duplicate: reconnect with the last seq you received to lose nothing. Completes when the session is deleted.',
    args: { sessionId: t.arg.id({ required: true }), afterSeq: t.arg.int() },
    subscribe: async (_, { sessionId, afterSeq }, ctx) => {
      if (afterSeq != null && afterSeq < 0) {
        throw new GraphQLError('afterSeq cannot be negative', { extensions: { code: 'VALIDATION_FAILED' } });
      }
      await ctx.service.getSession(sessionId); // someone else's session is not found, as everywhere
      return ctx.live.messages(sessionId, afterSeq ?? null, cutOff<Message>(ctx));
    },
    resolve: (message: Message, _, ctx) => {
      clearAllDataLoaders(ctx);
      return message;
    },
  }),
  sessionEvents: t.field({
    type: SessionEventRef,
    description:
      'Sessions created, updated (settings or new messages) and deleted, of one owner, or of all (admins; others get their own). RESYNC tells that events may have been lost: read the list again. Fails with EVENT_BUS_UNAVAILABLE when live events cannot be followed right now.',
    args: {
      ownerId: t.arg.id(),
      resyncFirst: t.arg.boolean({
        defaultValue: false,
        description:
          'Sends a RESYNC first, once the subscription is live: a list read when it arrives misses no change, where one read before subscribing can miss a change made while the subscription starts.',
      }),
    },
    subscribe: (_, { ownerId, resyncFirst }, ctx) => {
      const { caller } = ctx;
      if (!caller.admin && ownerId != null && ownerId !== caller.ownerId) {
        throw new GraphQLError('You can follow only your own sessions', { extensions: { code: 'FORBIDDEN' } });
      }
      return ctx.live.sessions(caller.admin ? (ownerId ?? null) : caller.ownerId, cutOff<SessionChange>(ctx), resyncFirst === true);
    },
    resolve: (change: SessionChange, _, ctx) => {
      clearAllDataLoaders(ctx);
      return change;
    },
  }),
}));
