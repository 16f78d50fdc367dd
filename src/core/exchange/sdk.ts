import { z } from 'zod';
import type { Limits } from '../limits.js';
import type { Message, Session } from '../model.js';
import { ALWAYS, reportRepeats } from '../schemas.js';
import { exchangeFields, fromRole, timestamp, toRole, type ExchangeRole } from './shared.js';
import type { ImportedSession } from './types.js';

/**
 * The session file written by several Python SDKs. Message ids of that file become Parley clientIds
 * (the caller's own key for a message), so exporting back to this shape gives the same ids.
 */
export interface SdkDocument {
  id: string;
  title: string | null;
  created_at: string;
  updated_at: string;
  messages: { id: string; role: ExchangeRole; content: string; timestamp: string; name?: string }[];
  context: Session['context'];
  metadata: Session['metadata'];
}

export function toSdkDocument(session: Session, messages: readonly Message[]): SdkDocument {
  return {
    id: session.id,
    title: session.title,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    messages: messages.map((m) => ({
      id: m.clientId ?? m.id,
      role: fromRole(m.role),
      content: m.content,
      timestamp: m.createdAt.toISOString(),
      ...(m.name !== null && { name: m.name }),
    })),
    context: session.context,
    metadata: session.metadata,
  };
}

export function sdkDocumentSchema(limits: Limits) {
  const f = exchangeFields(limits);
  const message = z.strictObject({
    id: f.limited('maxIdLength', 'A message id').min(1).optional(),
    role: f.role,
    content: f.limited('maxContentLength', 'Content'),
    timestamp: timestamp.optional(),
    name: f.limited('maxNameLength', 'A name').nullish(),
  });
  return z
    .strictObject({
      id: f.id.optional(),
      title: f.limited('maxTitleLength', 'A title').nullish(),
      created_at: timestamp.optional(),
      updated_at: timestamp.optional(),
      messages: f.messageList(message),
      context: f.jsonObject('context').optional(),
      metadata: f.jsonObject('metadata').optional(),
    })
    .superRefine((doc, ctx) => reportRepeats(Array.isArray(doc?.messages) ? doc.messages : [], 'id', ctx, ['messages']), ALWAYS);
}

export function fromSdkDocument(doc: z.output<ReturnType<typeof sdkDocumentSchema>>): ImportedSession {
  return {
    format: 'SDK',
    session: {
      id: doc.id ?? null,
      ownerId: null,
      title: doc.title ?? null,
      model: null,
      systemPrompt: null,
      context: doc.context ?? {},
      metadata: doc.metadata ?? {},
      createdAt: doc.created_at ?? null,
      updatedAt: doc.updated_at ?? null,
      version: null,
      forkedFrom: null,
      mergedFrom: [],
    },
    messages: doc.messages.map((m) => ({
      id: null,
      seq: null,
      role: toRole(m.role),
      content: m.content,
      name: m.name ?? null,
      metadata: {},
      createdAt: m.timestamp ?? null,
      clientId: m.id ?? null,
    })),
  };
}
