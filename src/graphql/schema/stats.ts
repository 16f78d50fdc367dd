import type { GlobalStats, RoleCounts, SessionStats } from '../../core/model.js';
import { underArgument } from '../arguments.js';
import { builder } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { SessionFilter, SessionRef } from './session.js';

const RoleCountsRef = builder.objectRef<RoleCounts>('RoleCounts').implement({
  fields: (t) => ({
    system: t.int({ resolve: (c) => c.SYSTEM }),
    user: t.int({ resolve: (c) => c.USER }),
    assistant: t.int({ resolve: (c) => c.ASSISTANT }),
    tool: t.int({ resolve: (c) => c.TOOL }),
  }),
});

const SessionStatsRef = builder.objectRef<SessionStats>('SessionStats').implement({
  fields: (t) => ({
    messageCount: t.exposeInt('messageCount'),
    exchangeCount: t.exposeInt('exchangeCount', { description: 'User messages immediately followed by an assistant message.' }),
    messagesByRole: t.field({ type: RoleCountsRef, resolve: (s) => s.messagesByRole }),
    firstMessageAt: t.expose('firstMessageAt', {
      type: 'DateTime',
      nullable: true,
      description: "The earliest message time: the first message's, unless imported messages go back in time.",
    }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true, description: 'The latest message time.' }),
    durationMs: t.exposeFloat('durationMs', {
      description:
        'Milliseconds from the earliest to the latest message (firstMessageAt to lastMessageAt), whatever the order of their seqs: never negative, 0 with fewer than two messages.',
    }),
    preview: t.exposeString('preview', { nullable: true }),
  }),
});

const StatsRef = builder.objectRef<GlobalStats>('Stats').implement({
  fields: (t) => ({
    sessionCount: t.exposeInt('sessionCount'),
    messageCount: t.exposeInt('messageCount'),
    userCount: t.exposeInt('userCount', { description: 'User profiles stored (not narrowed by the filter).' }),
    exchangeCount: t.exposeInt('exchangeCount'),
    messagesByRole: t.field({ type: RoleCountsRef, resolve: (s) => s.messagesByRole }),
  }),
});

builder.objectField(SessionRef, 'stats', (t) =>
  t.field({
    type: SessionStatsRef,
    description: 'Kept up to date on every append: reading it never loads the history.',
    resolve: (session, _, ctx) => ctx.service.sessionStats(session),
  }),
);

builder.queryField('stats', (t) =>
  t.field({
    type: StatsRef,
    description: 'Totals over the sessions matching the filter (all sessions without one).',
    errors: { types: INPUT_ERRORS },
    args: { filter: t.arg({ type: SessionFilter }) },
    resolve: (_, { filter }, ctx) => underArgument('filter', () => ctx.service.stats(filter ?? {})),
  }),
);
