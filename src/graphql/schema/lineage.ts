import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { ForkOrigin } from '../../core/model.js';
import { builder } from '../builder.js';
import { INPUT_ERRORS } from './errors.js';
import { SessionRef } from './session.js';

const ForkOriginRef = builder.objectRef<ForkOrigin>('ForkOrigin').implement({
  description: 'Where a copied session came from.',
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    seq: t.exposeInt('seq', { description: 'The last message copied.' }),
    session: t.field({
      type: SessionRef,
      nullable: true,
      description: 'The source session, unless it has been deleted since.',
      resolve: (origin) => origin.sessionId,
    }),
  }),
});

builder.objectFields(SessionRef, (t) => ({
  forkedFrom: t.expose('forkedFrom', { type: ForkOriginRef, nullable: true }),
}));

const MergeOrder = builder.enumType('MergeOrder', {
  values: {
    CONCATENATE: { description: 'The messages of each source in turn, in the order the sources are given.' },
    CHRONOLOGICAL: { description: 'All messages by time; ties keep the order of the sources, then of seqs.' },
  } as const,
});

const TARGET_ID = 'The id of the new session (admins only); a UUID when absent.';

builder.mutationFields((t) => ({
  copySession: t.field({
    type: SessionRef,
    description: 'Forks a session: a new one with the same settings and the messages up to upToSeq (all by default).',
    errors: { types: [NotFoundError, ConflictError, ...INPUT_ERRORS] },
    args: {
      id: t.arg.id({ required: true }),
      upToSeq: t.arg.int(),
      title: t.arg.string({ description: 'The source title when absent.' }),
      newId: t.arg.id({ description: TARGET_ID }),
      ownerId: t.arg.id({ description: 'The source owner when absent.' }),
    },
    resolve: (_, { id, ...input }, ctx) => ctx.service.copySession(id, input),
  }),
  mergeSessions: t.field({
    type: SessionRef,
    description:
      'A new session holding the messages of every source, renumbered. Sources stay untouched; later sources win on metadata and context keys.',
    errors: { types: [NotFoundError, ConflictError, ...INPUT_ERRORS] },
    args: {
      ids: t.arg.idList({ required: true }),
      order: t.arg({ type: MergeOrder, defaultValue: 'CONCATENATE' }),
      title: t.arg.string({ description: 'The first source title when absent.' }),
      newId: t.arg.id({ description: TARGET_ID }),
      ownerId: t.arg.id({ description: 'The first source owner when absent.' }),
    },
    resolve: (_, input, ctx) => ctx.service.mergeSessions(input),
  }),
}));
