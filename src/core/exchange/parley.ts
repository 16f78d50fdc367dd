import { z } from 'zod';
import { MAX_IMPORTED_VERSION, MAX_INT } from '../bounds.js';
import type { Limits } from '../limits.js';
import type { Message, Session } from '../model.js';
import { ALWAYS, reportRepeats } from '../schemas.js';
import { exchangeFields, fromRole, timestamp, toRole } from './shared.js';
import type { ImportedSession } from './types.js';

export const PARLEY_FORMAT = 'parley.session';
export const PARLEY_VERSION = 1;

/** Parley's own document: everything needed to recreate the session exactly. */
export interface ParleyDocument {
  format: typeof PARLEY_FORMAT;
  version: typeof PARLEY_VERSION;
  exportedAt: string;
  session: {
    id: string;
    ownerId: string | null;
    title: string | null;
    model: string | null;
    systemPrompt: string | null;
    context: Session['context'];
    metadata: Session['metadata'];
    createdAt: string;
    updatedAt: string;
    version: number;
    forkedFrom: { sessionId: string; seq: number } | null;
    mergedFrom: string[];
    /** The user profile the session's prompts speak with (absent in documents exported before personas were). */
    personaId: string | null;
    summary: string | null;
    summarizedUpToSeq: number | null;
  };
  messages: {
    id: string;
    seq: number;
    role: ReturnType<typeof fromRole>;
    content: string;
    name: string | null;
    metadata: Message['metadata'];
    createdAt: string;
    clientId: string | null;
  }[];
}

export function toParleyDocument(session: Session, messages: readonly Message[], exportedAt: Date): ParleyDocument {
  return {
    format: PARLEY_FORMAT,
    version: PARLEY_VERSION,
    exportedAt: exportedAt.toISOString(),
    session: {
      id: session.id,
      ownerId: session.ownerId,
      title: session.title,
      model: session.model,
      systemPrompt: session.systemPrompt,
      context: session.context,
      metadata: session.metadata,
      createdAt: session.createdAt.toISOString(),
      updatedAt: session.updatedAt.toISOString(),
      version: session.version,
      forkedFrom: session.forkedFrom,
      mergedFrom: session.mergedFrom,
      personaId: session.personaId,
      summary: session.summary,
      summarizedUpToSeq: session.summarizedUpToSeq,
    },
    messages: messages.map((m) => ({
      id: m.id,
      seq: m.seq,
      role: fromRole(m.role),
      content: m.content,
      name: m.name,
      metadata: m.metadata,
      createdAt: m.createdAt.toISOString(),
      clientId: m.clientId,
    })),
  };
}

export function parleyDocumentSchema(limits: Limits) {
  const f = exchangeFields(limits);
  const message = z.strictObject({
    id: f.id,
    seq: f.int(1),
    role: f.role,
    content: f.limited('maxContentLength', 'Content'),
    name: f.limited('maxNameLength', 'A name').nullable(),
    metadata: f.jsonObject('metadata'),
    createdAt: timestamp,
    clientId: f.limited('maxIdLength', 'A clientId').min(1).nullable(),
  });
  const session = z.strictObject({
    id: f.id,
    ownerId: f.ref.nullable(),
    title: f.limited('maxTitleLength', 'A title').nullable(),
    model: f.limited('maxNameLength', 'A model name').nullable(),
    systemPrompt: f.limited('maxContentLength', 'A system prompt').nullable(),
    context: f.jsonObject('context'),
    metadata: f.jsonObject('metadata'),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: f.int(1, MAX_IMPORTED_VERSION),
    forkedFrom: z.strictObject({ sessionId: f.ref, seq: f.seq }).nullable(),
    mergedFrom: z.array(f.ref),
    // Absent from documents exported before personas, and summaries, were exported.
    personaId: f.ref.nullable().optional(),
    summary: f.limited('maxContentLength', 'A summary').nullable().optional(),
    summarizedUpToSeq: f.seq.nullable().optional(),
  });
  return z
    .strictObject({
      format: z.literal(PARLEY_FORMAT),
      version: z.literal(PARLEY_VERSION, { message: `Unsupported version: this server reads version ${PARLEY_VERSION}` }),
      exportedAt: timestamp.optional(),
      session,
      messages: f.messageList(message),
    })
    .superRefine((doc, ctx) => {
      const list: unknown[] = Array.isArray(doc?.messages) ? doc.messages : [];
      let previous = 0;
      list.forEach((m, i) => {
        const seq = (m as { seq?: unknown } | null)?.seq;
        if (typeof seq !== 'number') return;
        if (seq <= previous) ctx.addIssue({ code: 'custom', path: ['messages', i, 'seq'], message: `Must be greater than the previous seq (${previous})` });
        previous = seq;
      });
      // Appends go on from the last seq until the session is full: the seqs they take must fit too.
      const room = Math.max(0, limits.maxMessagesPerSession - list.length);
      if (previous <= MAX_INT && previous + room > MAX_INT) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', list.length - 1, 'seq'],
          message: `Leaves no room for the ${room} messages this session may still take: the last seq can be at most ${MAX_INT - room}`,
        });
      }
      reportRepeats(list, 'id', ctx, ['messages']);
      reportRepeats(list, 'clientId', ctx, ['messages']);
    }, ALWAYS);
}

export function fromParleyDocument(doc: z.output<ReturnType<typeof parleyDocumentSchema>>): ImportedSession {
  return {
    format: 'PARLEY',
    session: { ...doc.session },
    messages: doc.messages.map((m) => ({ ...m, role: toRole(m.role) })),
  };
}
