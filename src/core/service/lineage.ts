import { NotFoundError, sessionFull, ValidationError } from '../errors.js';
import { mergeObjects } from '../json.js';
import type { Message, MergeOrder, Session } from '../model.js';
import type { InputOf } from '../schemas.js';
import { parseInput } from '../validate.js';
import type { ServiceDeps } from './deps.js';
import { blankSession } from './sessions.js';

type StoreNew = (session: Session, messages: Message[]) => Promise<Session>;

export function lineageOperations(deps: ServiceDeps, storeNew: StoreNew) {
  const { storage, inputs } = deps;

  /**
   * Forks a session: a new session with the same settings and the messages up to `upToSeq`
   * (all by default), keeping their seqs, times and clientIds, with `forkedFrom` set.
   */
  async function copySession(id: string, input: InputOf<'copySession'> = {}): Promise<Session> {
    const args = parseInput(inputs.copySession, input);
    const source = await storage.getSession(id);
    if (!source) throw new NotFoundError('Session', id);
    const upTo = args.upToSeq ?? source.lastSeq;
    if (upTo > source.lastSeq) {
      throw new ValidationError([{ path: ['upToSeq'], message: `Is beyond the session's last seq (${source.lastSeq})` }]);
    }
    const now = deps.now();
    const newId = args.newId ?? deps.newId();
    const messages = (await deps.readAll(source.id, upTo)).map((m) => ({ ...m, id: deps.newId(), sessionId: newId }));
    return storeNew(
      {
        ...blankSession(newId, now, deps.expiry(now)),
        ownerId: args.ownerId ?? source.ownerId,
        title: args.title ?? source.title,
        model: source.model,
        systemPrompt: source.systemPrompt,
        context: source.context,
        metadata: source.metadata,
        // A copy for another owner leaves the persona behind: it is one of the source owner's profiles.
        personaId: (args.ownerId ?? source.ownerId) === source.ownerId ? source.personaId : null,
        forkedFrom: { sessionId: source.id, seq: upTo },
      },
      messages,
    );
  }

  /**
   * A new session holding the messages of every source, renumbered from 1, with `mergedFrom` set.
   * Sources are untouched. Later sources win on conflicting metadata and context keys, and give
   * the model and system prompt when they have one; owner and title come from the first source.
   * A clientId already taken by an earlier source is dropped so that clientIds stay unique.
   */
  async function mergeSessions(input: InputOf<'mergeSessions'>): Promise<Session> {
    const args = parseInput(inputs.mergeSessions, input);
    const found = await storage.getSessions(args.ids);
    const sources = found.map((s, i) => {
      if (!s) throw new NotFoundError('Session', args.ids[i] as string);
      return s;
    });
    const total = sources.reduce((n, s) => n + s.messageCount, 0);
    if (total > deps.limits.maxMessagesPerSession) throw sessionFull(deps.limits.maxMessagesPerSession, total);
    const histories = await Promise.all(sources.map((s) => deps.readAll(s.id, s.lastSeq)));
    const now = deps.now();
    const newId = args.newId ?? deps.newId();
    const takenClientIds = new Set<string>();
    const messages = interleave(histories, args.order ?? 'CONCATENATE').map((m, i): Message => {
      const clientId = m.clientId !== null && !takenClientIds.has(m.clientId) ? m.clientId : null;
      if (clientId !== null) takenClientIds.add(clientId);
      return { ...m, id: deps.newId(), sessionId: newId, seq: i + 1, clientId };
    });
    const first = sources[0] as Session;
    const lastGiven = <K extends 'model' | 'systemPrompt'>(key: K) =>
      sources.reduce<Session[K]>((value, s) => s[key] ?? value, null);
    return storeNew(
      {
        ...blankSession(newId, now, deps.expiry(now)),
        ownerId: args.ownerId ?? first.ownerId,
        title: args.title ?? first.title,
        model: lastGiven('model'),
        systemPrompt: lastGiven('systemPrompt'),
        context: mergeObjects(sources.map((s) => s.context)),
        metadata: mergeObjects(sources.map((s) => s.metadata)),
        mergedFrom: sources.map((s) => s.id),
      },
      messages,
    );
  }

  return { copySession, mergeSessions };
}

/** CONCATENATE: each source in turn. CHRONOLOGICAL: by time; ties keep source order, then seq. */
function interleave(histories: Message[][], order: MergeOrder): Message[] {
  const all = histories.flat();
  if (order === 'CONCATENATE') return all;
  const rank = new Map<Message, number>(all.map((m, i) => [m, i]));
  return all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (rank.get(a) as number) - (rank.get(b) as number));
}
