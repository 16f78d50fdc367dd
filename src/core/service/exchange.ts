import { NotFoundError, withPathPrefix } from '../errors.js';
import { emitDocument, parseDocument } from '../exchange/formats.js';
import type { ExchangeFormat, ImportedSession } from '../exchange/types.js';
import type { Message, Session } from '../model.js';
import type { InputOf } from '../schemas.js';
import { parseInput } from '../validate.js';
import type { ServiceDeps } from './deps.js';
import { blankSession } from './sessions.js';

type StoreNew = (session: Session, messages: Message[]) => Promise<Session>;

export interface ImportOptions extends InputOf<'importSession'> {
  /** The document's format; recognised from its shape when absent. */
  format?: ExchangeFormat | null | undefined;
  /**
   * Whether the session takes the id its document carries (true by default). When false, it gets
   * `newId` or a UUID the server assigns, while the messages keep the ids the document gives them
   * (message ids are unique within their session only): for callers that may not choose ids.
   */
  keepDocumentId?: boolean | undefined;
  /** Whether the session may speak with the document's persona (every existing profile by default). */
  personaAllowed?: ((personaId: string) => boolean) | undefined;
}

export function exchangeOperations(deps: ServiceDeps, storeNew: StoreNew) {
  const { storage, inputs } = deps;

  /**
   * Creates a session from a document in any supported format. The whole document is validated
   * first: on any problem nothing is written and every problem is reported with its path.
   * Problem paths start with "document" for the document, with the option's name otherwise.
   * Ids are kept (Parley documents keep message ids too) unless `newId` is given or
   * `keepDocumentId` is false.
   */
  async function importSession(document: unknown, options: ImportOptions = {}): Promise<Session> {
    const { format, keepDocumentId = true, personaAllowed = () => true, ...rest } = options;
    const args = parseInput(inputs.importSession, rest);
    const imported = withDocumentPaths(() => parseDocument(document, deps.limits, format ?? undefined));
    const now = deps.now();
    const id = args.newId ?? (keepDocumentId ? imported.session.id : null) ?? deps.newId();
    const keepMessageIds = imported.format === 'PARLEY' && args.newId == null;
    const messages = toMessages(imported, id, keepMessageIds, now, deps.newId);
    const createdAt = imported.session.createdAt ?? messages[0]?.createdAt ?? now;
    const { session } = imported;
    const ownerId = args.ownerId ?? session.ownerId;
    // As a copy does: the persona is one of the document owner's profiles, so a session imported
    // for another owner leaves it behind; so does one whose profile is not on this server.
    const persona = session.personaId ?? null;
    const personaId =
      persona !== null && ownerId === session.ownerId && personaAllowed(persona) && (await storage.getUser(persona)) !== null ? persona : null;
    return storeNew(
      {
        ...blankSession(id, createdAt, deps.expiry(now)),
        ownerId,
        title: session.title,
        model: session.model,
        systemPrompt: session.systemPrompt,
        context: session.context,
        metadata: session.metadata,
        updatedAt: session.updatedAt ?? messages[messages.length - 1]?.createdAt ?? createdAt,
        version: session.version ?? 1,
        forkedFrom: session.forkedFrom,
        mergedFrom: session.mergedFrom,
        personaId,
        summary: session.summary ?? null,
        summarizedUpToSeq: session.summarizedUpToSeq ?? null,
      },
      messages,
    );
  }

  /** The whole session as a document of the given format (Parley's own by default). */
  async function exportSession(id: string, format: ExchangeFormat = 'PARLEY'): Promise<unknown> {
    const session = await storage.getSession(id);
    if (!session) throw new NotFoundError('Session', id);
    const messages = await deps.readAll(id, session.lastSeq);
    return emitDocument(format, session, messages, deps.now());
  }

  return { importSession, exportSession };
}

/** Problems of the document are reported under "document", beside those of the options. */
function withDocumentPaths<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw withPathPrefix(error, ['document']);
  }
}

function toMessages(imported: ImportedSession, sessionId: string, keepIds: boolean, now: Date, newId: () => string): Message[] {
  return imported.messages.map((m, i) => ({
    id: keepIds && m.id !== null ? m.id : newId(),
    sessionId,
    seq: m.seq ?? i + 1,
    role: m.role,
    content: m.content,
    name: m.name,
    metadata: m.metadata,
    createdAt: m.createdAt ?? now,
    clientId: m.clientId,
  }));
}
