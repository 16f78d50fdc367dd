import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { ExchangeFormat } from '../../core/exchange/types.js';
import { builder } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { SessionRef } from './session.js';

const ExchangeFormatEnum = builder.enumType('ExchangeFormat', {
  values: {
    PARLEY: { description: 'Parley\'s own versioned document ({"format": "parley.session", "version": 1, …}): lossless.' },
    SDK: { description: 'The session file of several Python SDKs: {id, title, created_at, updated_at, messages, context, metadata}.' },
    CHAT_MESSAGES: { description: 'A bare chat-completion message list: [{role, content}], the system prompt first.' },
  } as const,
});

const ExportedSession = builder.objectRef<{ format: ExchangeFormat; document: unknown }>('ExportedSession').implement({
  fields: (t) => ({
    format: t.field({ type: ExchangeFormatEnum, resolve: (e) => e.format }),
    document: t.field({ type: 'JSON', resolve: (e) => e.document }),
  }),
});

builder.queryField('exportSession', (t) =>
  t.field({
    type: ExportedSession,
    description: 'The whole session as a document: importSession takes it back.',
    errors: { types: [NotFoundError] },
    args: {
      id: t.arg.id({ required: true }),
      format: t.arg({ type: ExchangeFormatEnum, defaultValue: 'PARLEY' }),
    },
    resolve: async (_, { id, format }, ctx) => {
      const chosen = format ?? 'PARLEY';
      return { format: chosen, document: await ctx.service.exportSession(id, chosen) };
    },
  }),
);

builder.mutationField('importSession', (t) =>
  t.field({
    type: SessionRef,
    description:
      'Creates a session from a document of any supported format (recognised from its shape unless format is given). The whole document is checked first: on any problem nothing is written and every problem is reported, its path starting with "document".',
    errors: { types: [ConflictError, ...INPUT_ERRORS] },
    args: {
      document: t.arg({ type: 'JSON', required: true }),
      format: t.arg({ type: ExchangeFormatEnum }),
      newId: t.arg.id({
        description:
          'Import under this id instead of the document\'s (admins only; message ids are then new too). For anyone else the session always gets a new UUID, whatever id the document carries.',
      }),
      ownerId: t.arg.id(),
    },
    resolve: (_, { document, ...options }, ctx) => ctx.service.importSession(document, options),
  }),
);
