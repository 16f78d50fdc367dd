import { NotFoundError, ValidationError, type Problem } from '../errors.js';
import { userCursor } from '../cursor.js';
import { emptyRoleCounts, type Session } from '../model.js';
import type { Run } from '../run.js';
import { toConnection } from '../pagination.js';
import type { InputOf } from '../schemas.js';
import type { SessionService } from './index.js';

/**
 * Who is calling. An admin sees and changes everything; anyone else only the sessions it owns
 * (ownerId) and the user profile whose id is its ownerId.
 */
export type Caller = { admin: true; ownerId: string | null } | { admin: false; ownerId: string };

const CHOSEN_ID_REFUSED = 'Only an admin may choose a session id; leave it out and the server assigns one';

/**
 * The session service as one caller may use it. Another owner's session or user reads as not
 * found, whatever the operation, so its existence is never revealed; ownerId defaults to the
 * caller and cannot name someone else. Admins may name any owner; theirs is the default.
 * Session ids are one namespace shared by every owner, so choosing one is an admin's capability:
 * anyone else is refused before the id is looked at (a taken id and a free one get the same
 * answer), and an import takes a server-assigned id rather than the document's.
 */
export function scopeService(service: SessionService, caller: Caller): SessionService {
  if (caller.admin) {
    const self = caller.ownerId;
    if (self === null) return service;
    return {
      ...service,
      createSession: async (input = {}) => service.createSession({ ...input, ownerId: input.ownerId ?? self }),
      importSession: async (document, options = {}) => service.importSession(document, { ...options, ownerId: options.ownerId ?? self }),
    };
  }
  const me = caller.ownerId;
  const mine = (session: Session | null) => (session && session.ownerId === me ? session : null);
  /** The caller's session, or NotFound: someone else's reads as missing. */
  const own = async (id: string) => {
    const session = mine(await service.findSession(id));
    if (!session) throw new NotFoundError('Session', id);
    return session;
  };
  const notMine = (ownerId: string | null | undefined, path: string): Problem[] =>
    ownerId != null && ownerId !== me ? [{ path: [path], message: 'Must be your own id (or left out)' }] : [];
  const asMe = (ownerId: string | null | undefined, path: string) => {
    const problems = notMine(ownerId, path);
    if (problems.length > 0) throw new ValidationError(problems);
    return me;
  };
  /** The owner of a new session (the caller), refusing a chosen session id at `idPath`. */
  const newSessionOwner = (ownerId: string | null | undefined, id: string | null | undefined, idPath: string) => {
    const problems: Problem[] = [...(id != null ? [{ path: [idPath], message: CHOSEN_ID_REFUSED }] : []), ...notMine(ownerId, 'ownerId')];
    if (problems.length > 0) throw new ValidationError(problems);
    return me;
  };
  /** A persona must be the caller's own profile: any other id gets the same answer, taken or free. */
  const ownPersona = (personaId: string | null | undefined) => {
    if (personaId != null && personaId !== me) throw new ValidationError([{ path: ['personaId'], message: 'No user profile has this id' }]);
  };
  const ownFilter = <F extends { ownerId?: string | null | undefined } | null | undefined>(filter: F) =>
    filter?.ownerId != null && filter.ownerId !== me ? null : { ...filter, ownerId: me };
  const ownRun = (run: Run | null) => (run && run.ownerId === me ? run : null);
  const ownRunOrThrow = async (id: string) => {
    const run = ownRun(await service.findRun(id));
    if (!run) throw new NotFoundError('Run', id);
    return run;
  };
  const emptyPage = () => toConnection<never>([], () => '', { hasNextPage: false, hasPreviousPage: false });

  return {
    ...service,
    getSession: own,
    findSession: async (id) => mine(await service.findSession(id)),
    findSessions: async (ids) => (await service.findSessions(ids)).map(mine),
    listSessions: async (input = {}) => {
      const filter = ownFilter(input.filter);
      const page = await service.listSessions({ ...input, filter: filter ?? { ownerId: me } });
      return filter ? page : emptyPage();
    },
    countSessions: async (filter = {}) => {
      const scoped = ownFilter(filter);
      return scoped ? service.countSessions(scoped) : 0;
    },
    // Another owner's sessions read as none, as countSessions({ ownerId }) gives them.
    countSessionsByOwner: async (ownerIds) => {
      const [mine = 0] = ownerIds.includes(me) ? await service.countSessionsByOwner([me]) : [];
      return ownerIds.map((id) => (id === me ? mine : 0));
    },
    createSession: async (input = {}) => {
      const ownerId = newSessionOwner(input.ownerId, input.id, 'id');
      ownPersona(input.personaId);
      return service.createSession({ ...input, ownerId });
    },
    updateSession: async (id, input) => (await own(id), ownPersona(input.personaId), service.updateSession(id, input)),
    summarizeSession: async (id) => (await own(id), service.summarizeSession(id)),
    simulateTurns: async (id, input) => (await own(id), ownPersona(input.personaId), service.simulateTurns(id, input)),
    deleteSession: async (id) => (await own(id), service.deleteSession(id)),
    appendMessages: async (id, input) => (await own(id), service.appendMessages(id, input)),
    appendMessage: async (id, message, expectedSeq) => (await own(id), service.appendMessage(id, message, expectedSeq)),
    sendMessage: async (id, input) => (await own(id), service.sendMessage(id, input)),
    startRun: async (id, input) => (await own(id), service.startRun(id, input)),
    cancelRun: async (id) => (await ownRunOrThrow(id), service.cancelRun(id)),
    getRun: ownRunOrThrow,
    findRun: async (id) => ownRun(await service.findRun(id)),
    activeRun: async (id) => (await own(id), service.activeRun(id)),
    sessionRuns: async (id, limit) => (await own(id), service.sessionRuns(id, limit)),
    history: async (id, input) => (await own(id), service.history(id, input)),
    modelMessages: async (id, input) => (await own(id), service.modelMessages(id, input)),
    exportSession: async (id, format) => (await own(id), service.exportSession(id, format)),
    copySession: async (id, input = {}) => {
      const ownerId = newSessionOwner(input.ownerId, input.newId, 'newId');
      await own(id);
      return service.copySession(id, { ...input, ownerId });
    },
    mergeSessions: async (input) => {
      const ownerId = newSessionOwner(input.ownerId, input.newId, 'newId');
      const ids = [...new Set(input.ids)];
      const found = await service.findSessions(ids);
      const missing = ids.find((_, i) => !mine(found[i] ?? null));
      if (missing !== undefined) throw new NotFoundError('Session', missing);
      return service.mergeSessions({ ...input, ownerId });
    },
    importSession: async (document, options = {}) =>
      service.importSession(document, {
        ...options,
        ownerId: newSessionOwner(options.ownerId, options.newId, 'newId'),
        keepDocumentId: false,
        // As everywhere: a caller's session speaks with the caller's own profile, or none.
        personaAllowed: (personaId) => personaId === me,
      }),
    findUser: async (id) => (id === me ? service.findUser(id) : null),
    findUsers: async (ids) => {
      const self = ids.includes(me) ? await service.findUser(me) : null;
      return ids.map((id) => (id === me ? self : null));
    },
    getUser: async (id) => {
      if (id !== me) throw new NotFoundError('User', id);
      return service.getUser(id);
    },
    upsertUser: async (input: InputOf<'upsertUser'>) => service.upsertUser({ ...input, id: asMe(input.id, 'id') }),
    deleteUser: async (id) => {
      if (id !== me) throw new NotFoundError('User', id);
      return service.deleteUser(id);
    },
    listUsers: async (input = {}) => {
      const page = await service.listUsers(input);
      const self = input.after ? null : await service.findUser(me);
      return toConnection(self ? [self] : [], (u) => userCursor(u.id), { hasNextPage: false, hasPreviousPage: page.pageInfo.hasPreviousPage });
    },
    countUsers: async () => ((await service.findUser(me)) ? 1 : 0),
    stats: async (filter = {}) => {
      const scoped = ownFilter(filter);
      const [totals, self] = await Promise.all([service.stats(scoped ?? { ...filter, ownerId: me }), service.findUser(me)]);
      const userCount = self ? 1 : 0;
      return scoped ? { ...totals, userCount } : { ...totals, sessionCount: 0, messageCount: 0, exchangeCount: 0, messagesByRole: emptyRoleCounts(), userCount };
    },
  };
}
