import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Session } from '../../core/model.js';
import { underArgument } from '../arguments.js';
import { builder } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { MessageInput } from './message-input.js';

export const SessionRef = builder.loadableObject('Session', {
  description: 'A conversation: its settings, counters and lineage. Messages are read through `messages` or `history`.',
  load: async (ids: string[], ctx) => (await ctx.service.findSessions(ids)).filter((s) => s !== null),
  toKey: (session) => session.id,
  sort: true,
  cacheResolved: true,
  fields: (t) => ({
    id: t.exposeID('id'),
    ownerId: t.exposeID('ownerId', { nullable: true, description: 'The user or tenant the session belongs to.' }),
    title: t.exposeString('title', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    systemPrompt: t.exposeString('systemPrompt', { nullable: true }),
    context: t.expose('context', { type: 'JSONObject', description: 'What the application knows: customer id, persona…' }),
    metadata: t.expose('metadata', { type: 'JSONObject', description: 'Labels to filter sessions by.' }),
    messageCount: t.exposeInt('messageCount'),
    lastSeq: t.exposeInt('lastSeq', { description: 'Seq of the last message (0 when empty): pass it as expectedSeq.' }),
    preview: t.exposeString('preview', { nullable: true, description: 'The start of the first user message.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last change of the settings or the messages.' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true, description: 'The latest message time (see stats).' }),
    version: t.exposeInt('version', {
      description: 'Bumped by each change of the settings (not by appended messages): pass it as expectedVersion.',
    }),
    mergedFrom: t.exposeIDList('mergedFrom', { description: 'The sessions this one was merged from, in merge order.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Set when retention is configured.' }),
    personaId: t.exposeID('personaId', { nullable: true, description: 'The user profile the assistant talks with: its profile goes into every run prompt.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'The summary the model wrote (summarizeSession); null until asked for. See stats for one without a model.' }),
    summarizedUpToSeq: t.exposeInt('summarizedUpToSeq', { nullable: true, description: 'The last seq the summary covers.' }),
  }),
});

const SessionOrderField = builder.enumType('SessionOrderField', { values: ['UPDATED_AT', 'CREATED_AT'] as const });
const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
const UpdateMode = builder.enumType('UpdateMode', {
  values: {
    MERGE: { description: 'metadata and context are JSON merge patches (RFC 7396): null removes a key.' },
    REPLACE: { description: 'metadata and context replace the stored objects.' },
  } as const,
});

export const SessionFilter = builder.inputType('SessionFilter', {
  description: 'Every criterion given must hold.',
  fields: (t) => ({
    ownerId: t.id(),
    metadata: t.field({
      type: 'JSONObject',
      description: 'Key by key: the session metadata value equals the scalar given, or is an array containing it.',
    }),
    titleContains: t.string({ description: 'Case-insensitive.' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    updatedAfter: t.field({ type: 'DateTime' }),
    updatedBefore: t.field({ type: 'DateTime' }),
  }),
});

const SessionOrder = builder.inputType('SessionOrder', {
  fields: (t) => ({
    field: t.field({ type: SessionOrderField, required: true }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC' }),
  }),
});

export const SessionConnection = builder.connectionObject({ type: SessionRef, name: 'SessionConnection' }, { name: 'SessionEdge' });

builder.queryFields((t) => ({
  session: t.field({
    type: SessionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }) => id,
  }),
  sessions: t.field({
    type: SessionConnection,
    description: 'Sessions, newest activity first by default, page by page.',
    errors: { types: INPUT_ERRORS },
    args: {
      filter: t.arg({ type: SessionFilter }),
      orderBy: t.arg({ type: SessionOrder }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_, args, ctx) => {
      const page = await ctx.service.listSessions(args);
      return { ...page, totalCount: () => ctx.service.countSessions(args.filter ?? {}) };
    },
  }),
}));

const CreateSessionInput = builder.inputType('CreateSessionInput', {
  fields: (t) => ({
    id: t.id({ description: 'Your own id for the session (admins only: session ids are shared by every owner); a UUID is made when absent.' }),
    ownerId: t.id(),
    title: t.string(),
    model: t.string(),
    systemPrompt: t.string(),
    context: t.field({ type: 'JSONObject' }),
    metadata: t.field({ type: 'JSONObject' }),
    personaId: t.id({ description: 'A user profile to personalise the replies with (yours, unless you are an admin).' }),
    messages: t.field({ type: [MessageInput], description: 'Initial messages, stored with seqs 1..n.' }),
  }),
});

const UpdateSessionInput = builder.inputType('UpdateSessionInput', {
  description: 'Fields left out are unchanged; fields set to null are cleared.',
  fields: (t) => ({
    title: t.string(),
    model: t.string(),
    systemPrompt: t.string(),
    context: t.field({ type: 'JSONObject' }),
    metadata: t.field({ type: 'JSONObject' }),
    personaId: t.id({ description: 'A user profile to personalise the replies with; null removes it.' }),
    mode: t.field({ type: UpdateMode, defaultValue: 'MERGE' }),
    expectedVersion: t.int({ description: 'Reject the update unless the session is still at this version.' }),
  }),
});

const DeletedSession = builder.objectRef<Session>('DeletedSession').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    ownerId: t.exposeID('ownerId', { nullable: true }),
    messageCount: t.exposeInt('messageCount', { description: 'Messages deleted with it.' }),
  }),
});

builder.mutationFields((t) => ({
  createSession: t.field({
    type: SessionRef,
    errors: { types: [...INPUT_ERRORS, ConflictError] },
    args: { input: t.arg({ type: CreateSessionInput, required: true }) },
    resolve: (_, { input }, ctx) => underArgument('input', () => ctx.service.createSession(input)),
  }),
  updateSession: t.field({
    type: SessionRef,
    errors: { types: [...INPUT_ERRORS, NotFoundError, ConflictError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSessionInput, required: true }) },
    resolve: (_, { id, input }, ctx) => underArgument('input', () => ctx.service.updateSession(id, input)),
  }),
  deleteSession: t.field({
    type: DeletedSession,
    description: 'Deletes the session and all of its messages.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.service.deleteSession(id),
  }),
}));
