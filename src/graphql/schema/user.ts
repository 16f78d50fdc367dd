import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { NotFoundError } from '../../core/errors.js';
import type { Session, User } from '../../core/model.js';
import { toConnection } from '../../core/pagination.js';
import type { Context } from '../context.js';
import { builder } from '../builder.js';
import { underArgument } from '../arguments.js';
import { INPUT_ERRORS } from './errors.js';
import { SessionConnection, SessionRef } from './session.js';

export const UserRef = builder.loadableObject('User', {
  description: 'A user profile (a person, or a persona in simulations). Sessions name their user in ownerId.',
  load: async (ids: string[], ctx) => (await ctx.service.findUsers(ids)).filter((u) => u !== null),
  toKey: (user) => user.id,
  sort: true,
  cacheResolved: true,
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    profile: t.exposeString('profile', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    vector: t.floatList({ nullable: true, description: 'An embedding or persona seed, as given.', resolve: (u) => u.vector }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/**
 * The session counts a request asks for, read together: one storage call for a page of users.
 * Not cached, so that a count read after a mutation of the same request is fresh.
 */
const sessionCounts = createContextCache((ctx: Context) => new DataLoader<string, number>((ids) => ctx.service.countSessionsByOwner(ids), { cache: false }));

builder.objectFields(UserRef, (t) => ({
  sessions: t.field({
    type: SessionConnection,
    description: 'Sessions owned by this user, newest activity first.',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (user, args, ctx) => {
      const totalCount = () => sessionCounts(ctx).load(user.id);
      // Only the count (a page of users with how many sessions each has): the count tells
      // whether there is a next page, and no page is read.
      if (args.first === 0 && args.after == null) {
        const count = await totalCount();
        return { ...toConnection<Session>([], () => '', { hasNextPage: count > 0, hasPreviousPage: false }), totalCount: count };
      }
      return { ...(await ctx.service.listSessions({ ...args, filter: { ownerId: user.id } })), totalCount };
    },
  }),
}));

builder.objectField(SessionRef, 'persona', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The user profile named by personaId, if there is one.',
    resolve: (session) => session.personaId,
  }),
);

builder.objectField(SessionRef, 'owner', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The user profile named by ownerId, if there is one.',
    resolve: (session) => session.ownerId,
  }),
);

const UserConnection = builder.connectionObject({ type: UserRef, name: 'UserConnection' }, { name: 'UserEdge' });

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }) => id,
  }),
  users: t.field({
    type: UserConnection,
    description: 'Users ordered by id.',
    errors: { types: INPUT_ERRORS },
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_, args, ctx) => ({ ...(await ctx.service.listUsers(args)), totalCount: () => ctx.service.countUsers() }),
  }),
}));

const UpsertUserInput = builder.inputType('UpsertUserInput', {
  description: 'Creates the user, or replaces name, profile, metadata and vector of the user with this id.',
  fields: (t) => ({
    id: t.id({ description: 'A new UUID when absent.' }),
    name: t.string({ required: true }),
    profile: t.string(),
    metadata: t.field({ type: 'JSONObject' }),
    vector: t.floatList({ description: 'An embedding or persona seed (at most MAX_VECTOR_LENGTH numbers).' }),
  }),
});

const UpsertUserPayload = builder.objectRef<{ user: User; created: boolean }>('UpsertUserPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (p) => p.user }),
    created: t.exposeBoolean('created', { description: 'True when no user had this id before.' }),
  }),
});

const DeleteUserPayload = builder.objectRef<{ id: string; deletedSessions: number }>('DeleteUserPayload').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    deletedSessionCount: t.int({ description: 'Sessions deleted with the user.', resolve: (p) => p.deletedSessions }),
  }),
});

builder.mutationFields((t) => ({
  upsertUser: t.field({
    type: UpsertUserPayload,
    errors: { types: INPUT_ERRORS },
    args: { input: t.arg({ type: UpsertUserInput, required: true }) },
    resolve: (_, { input }, ctx) => underArgument('input', () => ctx.service.upsertUser(input)),
  }),
  deleteUser: t.field({
    type: DeleteUserPayload,
    description: 'Deletes the user and every session it owns.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ({ id, ...(await ctx.service.deleteUser(id)) }),
  }),
}));
