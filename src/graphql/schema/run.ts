import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { GraphQLError } from 'graphql';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Message, Session } from '../../core/model.js';
import { RUN_ERROR_CODES, RUN_STATUSES, RUN_STRATEGIES, type Run, type RunError, type RunEvent } from '../../core/run.js';
import { ModelError, type Usage } from '../../core/provider.js';
import { builder } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { MessageRef } from './message.js';
import { SessionRef } from './session.js';
import { cutOff } from './subscription.js';

const RunStatusEnum = builder.enumType('RunStatus', {
  description: 'QUEUED and RUNNING runs are in progress; the others are over and never change again.',
  values: RUN_STATUSES,
});

const RunStrategyEnum = builder.enumType('RunStrategy', {
  description: 'What to do when the session already has a run in progress.',
  values: {
    REJECT: { description: 'Refuse with a ConflictError (RUN_ACTIVE); nothing is stored. The default.' },
    ENQUEUE: { description: 'Wait: the run starts when the ones before it are over.' },
    INTERRUPT: { description: 'Cancel the run in progress (and any queued before this one), then start.' },
  } satisfies Record<(typeof RUN_STRATEGIES)[number], { description: string }>,
});

const RunErrorCodeEnum = builder.enumType('RunErrorCode', {
  description:
    "Why a run failed: the provider's reason (UNAVAILABLE, RATE_LIMITED, TIMEOUT, BAD_RESPONSE, NOT_CONFIGURED), or LEASE_EXPIRED (its server stopped answering), RUN_TIMEOUT, SERVER_STOPPED, INTERNAL.",
  values: RUN_ERROR_CODES,
});

const FinishReasonEnum = builder.enumType('FinishReason', { values: ['STOP', 'LENGTH', 'CONTENT_FILTER', 'TOOL_CALLS', 'OTHER'] as const });

const RunErrorRef = builder.objectRef<RunError>('RunError').implement({
  fields: (t) => ({
    code: t.field({ type: RunErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
  }),
});

const UsageRef = builder.objectRef<Usage>('Usage').implement({
  description: 'Token counts, as the provider reports them.',
  fields: (t) => ({
    promptTokens: t.exposeInt('promptTokens'),
    completionTokens: t.exposeInt('completionTokens'),
  }),
});

export const RunRef = builder.objectRef<Run>('Run').implement({
  description: "One model turn in a session: the reply to its last message, streamed by runEvents and stored as an ASSISTANT message.",
  fields: (t) => ({
    id: t.exposeID('id'),
    sessionId: t.exposeID('sessionId'),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    requestedModel: t.string({ nullable: true, description: "The model asked for (null: the session's, or the provider's default).", resolve: (r) => r.settings.model }),
    model: t.exposeString('model', { nullable: true, description: 'The model that answered, as the provider names it.' }),
    maxOutputTokens: t.int({ nullable: true, resolve: (r) => r.settings.maxOutputTokens }),
    temperature: t.float({ nullable: true, resolve: (r) => r.settings.temperature }),
    clientId: t.exposeString('clientId', { nullable: true }),
    inputSeq: t.exposeInt('inputSeq', { description: 'Seq of the message the run answers.' }),
    outputSeq: t.exposeInt('outputSeq', { nullable: true, description: 'Seq of the ASSISTANT message it stored; null while running, or if it stored nothing.' }),
    finishReason: t.field({ type: FinishReasonEnum, nullable: true, resolve: (r) => r.finishReason }),
    usage: t.field({ type: UsageRef, nullable: true, resolve: (r) => r.usage }),
    error: t.field({ type: RunErrorRef, nullable: true, resolve: (r) => r.error }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    eventCount: t.exposeInt('eventCount', { description: 'Events published so far (final once the run is over: the offset of its END).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectFields(SessionRef, (t) => ({
  activeRun: t.field({
    type: RunRef,
    nullable: true,
    description: 'The run in progress, if any: subscribe to its runEvents (afterOffset 0) to see the reply so far and the rest.',
    resolve: (session, _, ctx) => ctx.service.activeRun(session.id),
  }),
  runs: t.field({
    type: [RunRef],
    description: 'The latest runs of the session, newest first.',
    args: { last: t.arg.int({ description: 'How many (20 by default, at most MAX_PAGE_SIZE).' }) },
    resolve: (session, { last }, ctx) => {
      const max = ctx.service.limits.maxPageSize;
      if (last != null && (last < 0 || last > max)) throw new GraphQLError(`last must be between 0 and ${max}`, { extensions: { code: 'VALIDATION_FAILED' } });
      return ctx.service.sessionRuns(session.id, last ?? 20);
    },
  }),
}));

const RunInput = builder.inputType('RunInput', {
  description: "The run's settings; every one is optional.",
  fields: (t) => ({
    model: t.string({ description: "The model to ask (the session's model, or the provider's default, when absent)." }),
    maxOutputTokens: t.int({ description: 'At most this many tokens (capped by MAX_OUTPUT_TOKENS).' }),
    temperature: t.float({ description: 'From 0 to 2.' }),
    strategy: t.field({ type: RunStrategyEnum, description: 'When the session already has a run: REJECT (default), ENQUEUE or INTERRUPT.' }),
  }),
});

const SendMessageInput = builder.inputType('SendMessageInput', {
  description: 'A USER message.',
  fields: (t) => ({
    content: t.string({ required: true }),
    name: t.string(),
    metadata: t.field({ type: 'JSONObject' }),
    clientId: t.string({ description: 'Your idempotency key: a retry with the same clientId stores nothing again and returns the run the first call started.' }),
  }),
});

const SendMessagePayload = builder.objectRef<{ session: Session; message: Message; run: Run }>('SendMessagePayload').implement({
  fields: (t) => ({
    session: t.field({ type: SessionRef, description: 'The session after the user message was stored.', resolve: (p) => p.session }),
    userMessage: t.field({
      type: MessageRef,
      description: 'The stored USER message (not `message`, which would clash with Error.message in a selection of the result union).',
      resolve: (p) => p.message,
    }),
    run: t.field({ type: RunRef, description: 'The run answering it: follow it with runEvents.', resolve: (p) => p.run }),
  }),
});

const RUN_ERRORS = [NotFoundError, ConflictError, ...INPUT_ERRORS];

builder.queryField('run', (t) =>
  t.field({
    type: RunRef,
    nullable: true,
    description: 'A run by id, or null.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.service.findRun(id),
  }),
);

const SimulateTurnsPayload = builder.objectRef<{ session: Session; messages: Message[] }>('SimulateTurnsPayload').implement({
  fields: (t) => ({
    session: t.field({ type: SessionRef, resolve: (p) => p.session }),
    messages: t.field({ type: [MessageRef], description: 'The messages written, in seq order: a USER then an ASSISTANT one per turn.', resolve: (p) => p.messages }),
  }),
});

builder.mutationFields((t) => ({
  summarizeSession: t.field({
    type: SessionRef,
    description: 'Asks the model for a summary of the session and stores it (Session.summary, summarizedUpToSeq). Session.stats needs no model.',
    errors: { types: [NotFoundError, ModelError, ...INPUT_ERRORS] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.service.summarizeSession(id),
  }),
  simulateTurns: t.field({
    type: SimulateTurnsPayload,
    description:
      "The model plays the persona: it writes the user's next message from the persona's profile, then the assistant's reply, `turns` times (at most MAX_SIMULATED_TURNS), stored as ordinary messages marked metadata.simulated. For evaluation and training data.",
    errors: { types: [NotFoundError, ConflictError, ModelError, ...INPUT_ERRORS] },
    args: { sessionId: t.arg.id({ required: true }), personaId: t.arg.id({ required: true }), turns: t.arg.int({ required: true }) },
    resolve: (_, { sessionId, personaId, turns }, ctx) => ctx.service.simulateTurns(sessionId, { personaId, turns }),
  }),
  sendMessage: t.field({
    type: SendMessagePayload,
    description:
      'Stores a USER message and starts a run that answers it, in one call. The reply streams on runEvents(runId) and is stored as an ASSISTANT message when the run ends.',
    errors: { types: RUN_ERRORS },
    args: {
      sessionId: t.arg.id({ required: true }),
      message: t.arg({ type: SendMessageInput, required: true }),
      expectedSeq: t.arg.int({ description: 'Reject unless the session last seq is still this one.' }),
      run: t.arg({ type: RunInput }),
    },
    resolve: (_, { sessionId, message, expectedSeq, run }, ctx) => ctx.service.sendMessage(sessionId, { message, expectedSeq, run }),
  }),
  startRun: t.field({
    type: RunRef,
    description: 'Starts a run that answers the session as it is, with no new message (regenerate, or answer messages appended earlier).',
    errors: { types: RUN_ERRORS },
    args: {
      sessionId: t.arg.id({ required: true }),
      run: t.arg({ type: RunInput }),
      clientId: t.arg.string({ description: 'Your idempotency key: a retry returns the run the first call started.' }),
    },
    resolve: (_, { sessionId, run, clientId }, ctx) => ctx.service.startRun(sessionId, { ...run, clientId }),
  }),
  cancelRun: t.field({
    type: RunRef,
    description:
      'Stops a run, from any server: a queued one at once, a running one within a second (what it generated is kept as an incomplete message). Returns the run once it is over; a run that is over already is returned as it is.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.service.cancelRun(id),
  }),
}));

const RunEventTypeEnum = builder.enumType('RunEventType', {
  values: {
    DELTA: { description: 'A piece of the reply, in `text`.' },
    END: { description: 'The last event: the run as it ended, and the message it stored (if any).' },
  } as const,
});

const RunEventRef = builder.objectRef<RunEvent>('RunEvent').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    offset: t.exposeInt('offset', { description: 'Dense, from 1: resubscribe with afterOffset set to the last one you received to lose nothing.' }),
    type: t.field({ type: RunEventTypeEnum, resolve: (e) => e.type }),
    text: t.string({ nullable: true, description: 'DELTA: the next piece of the reply.', resolve: (e) => (e.type === 'DELTA' ? e.text : null) }),
    run: t.field({ type: RunRef, nullable: true, description: 'END: the run as it ended.', resolve: (e) => (e.type === 'END' ? e.run : null) }),
    message: t.field({
      type: MessageRef,
      nullable: true,
      description: 'END: the ASSISTANT message the run stored (null when it stored none).',
      resolve: (e) => (e.type === 'END' ? e.message : null),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  runEvents: t.field({
    type: RunEventRef,
    description:
      "A run's reply as it is generated: DELTA events, then one END, with dense offsets. With afterOffset, what was generated after it comes first, then the live events, with no gap and no duplicate, on any server: a client that reloads mid-reply resubscribes with the last offset it received (0 for everything). Completes after END. A finished run's deltas stay replayable for RUN_EVENTS_RETAIN_MS; later, a subscription gets only its END, which carries the whole stored message.",
    args: { runId: t.arg.id({ required: true }), afterOffset: t.arg.int() },
    subscribe: async (_, { runId, afterOffset }, ctx) => {
      if (afterOffset != null && afterOffset < 0) {
        throw new GraphQLError('afterOffset cannot be negative', { extensions: { code: 'VALIDATION_FAILED' } });
      }
      await ctx.service.getRun(runId); // someone else's run is not found
      return ctx.live.runEvents(runId, afterOffset ?? 0, cutOff<RunEvent>(ctx));
    },
    resolve: (event: RunEvent, _, ctx) => {
      clearAllDataLoaders(ctx);
      return event;
    },
  }),
}));
