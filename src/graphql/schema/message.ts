import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { ChatMessage } from '../../core/exchange/chat.js';
import type { Message, Session } from '../../core/model.js';
import { builder, type Arg } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { MessageInput, RoleEnum } from './message-input.js';
import { SessionRef } from './session.js';

export const MessageRef = builder.objectRef<Message>('Message').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    sessionId: t.exposeID('sessionId'),
    seq: t.exposeInt('seq', { description: '1-based position in the session: unique, increasing, never reused.' }),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    content: t.exposeString('content'),
    name: t.exposeString('name', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    clientId: t.exposeString('clientId', { nullable: true }),
  }),
});

const MessageConnection = builder.connectionObject({ type: MessageRef, name: 'MessageConnection' }, { name: 'MessageEdge' });

const ModelMessage = builder.objectRef<ChatMessage>('ModelMessage').implement({
  description: 'A message in the shape chat-completion APIs take.',
  fields: (t) => ({
    role: t.exposeString('role', { description: 'system, user, assistant or tool.' }),
    content: t.exposeString('content', { nullable: true }),
    name: t.string({ nullable: true, resolve: (m) => m.name ?? null }),
    toolCallId: t.string({ nullable: true, resolve: (m) => m.tool_call_id ?? null }),
    toolCalls: t.field({ type: 'JSON', nullable: true, resolve: (m) => m.tool_calls ?? null }),
  }),
});

const pageArgs = (arg: Arg) => ({
  first: arg.int({ description: 'Page forwards: the first N messages after `after`.' }),
  after: arg.string({ description: 'A seq: only messages after it.' }),
  last: arg.int({ description: 'Page backwards: the last N messages before `before`.' }),
  before: arg.string({ description: 'A seq: only messages before it.' }),
  roles: arg({ type: [RoleEnum], description: 'Only messages of these roles.' }),
});

const HISTORY = 'A page of the history, oldest first within the page; the latest page when neither first nor last is given. Cursors are seqs, so pages stay stable while messages arrive.';

builder.objectFields(SessionRef, (t) => ({
  messages: t.field({
    type: MessageConnection,
    description: HISTORY,
    args: pageArgs(t.arg),
    resolve: (session, args, ctx) => ctx.service.history(session.id, args),
  }),
  modelMessages: t.field({
    type: [ModelMessage],
    description: 'The history ready to send to a model: the system prompt first, then the last lastN messages (all by default).',
    args: { lastN: t.arg.int() },
    resolve: (session, args, ctx) => ctx.service.modelMessages(session.id, args),
  }),
}));

builder.queryField('history', (t) =>
  t.field({
    type: MessageConnection,
    description: HISTORY,
    errors: { types: [NotFoundError, ...INPUT_ERRORS] },
    args: { sessionId: t.arg.id({ required: true }), ...pageArgs(t.arg) },
    resolve: (_, { sessionId, ...args }, ctx) => ctx.service.history(sessionId, args),
  }),
);

const AppendMessagesPayload = builder
  .objectRef<{ session: Session; messages: Message[]; added: Message[] }>('AppendMessagesPayload')
  .implement({
    fields: (t) => ({
      session: t.field({ type: SessionRef, description: 'The session after the append.', resolve: (p) => p.session }),
      messages: t.field({
        type: [MessageRef],
        description: 'One per message sent, in order: stored now, or earlier under the same clientId.',
        resolve: (p) => p.messages,
      }),
      addedCount: t.int({ description: 'How many were stored by this call (0 for a pure retry).', resolve: (p) => p.added.length }),
    }),
  });

const AppendMessagePayload = builder
  .objectRef<{ session: Session; message: Message; added: boolean }>('AppendMessagePayload')
  .implement({
    fields: (t) => ({
      session: t.field({ type: SessionRef, resolve: (p) => p.session }),
      message: t.field({ type: MessageRef, resolve: (p) => p.message }),
      added: t.exposeBoolean('added', { description: 'False when the clientId was already stored (a retry).' }),
    }),
  });

const APPEND_ERRORS = [NotFoundError, ConflictError, ...INPUT_ERRORS];
const EXPECTED_SEQ = 'Reject the append unless the session last seq is still this one.';

builder.mutationFields((t) => ({
  appendMessages: t.field({
    type: AppendMessagesPayload,
    description: 'Appends messages atomically, with consecutive seqs. Retries with the same clientIds store nothing twice.',
    errors: { types: APPEND_ERRORS },
    args: {
      sessionId: t.arg.id({ required: true }),
      messages: t.arg({ type: [MessageInput], required: true }),
      expectedSeq: t.arg.int({ description: EXPECTED_SEQ }),
    },
    resolve: (_, { sessionId, ...input }, ctx) => ctx.service.appendMessages(sessionId, input),
  }),
  appendMessage: t.field({
    type: AppendMessagePayload,
    errors: { types: APPEND_ERRORS },
    args: {
      sessionId: t.arg.id({ required: true }),
      message: t.arg({ type: MessageInput, required: true }),
      expectedSeq: t.arg.int({ description: EXPECTED_SEQ }),
    },
    resolve: (_, { sessionId, message, expectedSeq }, ctx) => ctx.service.appendMessage(sessionId, message, expectedSeq),
  }),
}));
