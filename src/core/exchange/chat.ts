import { z } from 'zod';
import type { JsonObject, JsonValue } from '../json.js';
import type { Limits } from '../limits.js';
import type { Message, Session } from '../model.js';
import { exchangeFields, fromRole, toRole, type ExchangeRole } from './shared.js';
import type { ImportedSession } from './types.js';

/** One message of a chat-completion request. Tool-call fields travel in the message's metadata. */
export interface ChatMessage {
  role: ExchangeRole;
  content: string | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: JsonValue;
}

/** The history in the shape a chat-completion API takes: the system prompt first, then every message. */
export function toChatMessages(session: Pick<Session, 'systemPrompt'>, messages: readonly Message[]): ChatMessage[] {
  const list: ChatMessage[] = session.systemPrompt === null ? [] : [{ role: 'system', content: session.systemPrompt }];
  for (const m of messages) list.push(toChatMessage(m));
  return list;
}

export function toChatMessage(m: Pick<Message, 'role' | 'content' | 'name' | 'metadata'>): ChatMessage {
  const { tool_call_id: toolCallId, tool_calls: toolCalls } = m.metadata;
  const chat: ChatMessage = { role: fromRole(m.role), content: m.content };
  if (m.name !== null) chat.name = m.name;
  if (typeof toolCallId === 'string') chat.tool_call_id = toolCallId;
  if (toolCalls !== undefined) {
    chat.tool_calls = toolCalls;
    if (m.content === '') chat.content = null;
  }
  return chat;
}

export function chatDocumentSchema(limits: Limits) {
  const f = exchangeFields(limits);
  const textPart = z.strictObject({ type: z.literal('text', { message: 'Only text parts can be imported' }), text: z.string() });
  const content = z
    .union([z.string(), z.null(), z.array(textPart)], { message: 'Content is a string, null or a list of text parts' })
    .transform((value) => (value === null ? '' : typeof value === 'string' ? value : value.map((p) => p.text).join('\n')))
    .pipe(f.limited('maxContentLength', 'Content'));
  const message = z.strictObject({
    role: f.role,
    content,
    name: f.limited('maxNameLength', 'A name').optional(),
    tool_call_id: f.limited('maxIdLength', 'A tool_call_id').optional(),
    tool_calls: z.array(f.jsonObject('metadata')).optional(),
  });
  return f.messageList(message).min(1, { message: 'The list holds no message' });
}

export function fromChatMessages(list: z.output<ReturnType<typeof chatDocumentSchema>>): ImportedSession {
  return {
    format: 'CHAT_MESSAGES',
    session: {
      id: null,
      ownerId: null,
      title: null,
      model: null,
      systemPrompt: null,
      context: {},
      metadata: {},
      createdAt: null,
      updatedAt: null,
      version: null,
      forkedFrom: null,
      mergedFrom: [],
    },
    messages: list.map((m) => {
      const metadata: JsonObject = {};
      if (m.tool_call_id !== undefined) metadata.tool_call_id = m.tool_call_id;
      if (m.tool_calls !== undefined) metadata.tool_calls = m.tool_calls;
      return {
        id: null,
        seq: null,
        role: toRole(m.role),
        content: m.content,
        name: m.name ?? null,
        metadata,
        createdAt: null,
        clientId: null,
      };
    }),
  };
}
