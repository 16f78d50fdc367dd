import { parseSeqCursor, seqCursor } from '../cursor.js';
import { NotFoundError, renamePath, ValidationError } from '../errors.js';
import { toChatMessages, type ChatMessage } from '../exchange/chat.js';
import type { Message, Role, Session } from '../model.js';
import { toConnection, type Connection } from '../pagination.js';
import type { InputOf } from '../schemas.js';
import type { AppendResult, MessageDraft } from '../storage.js';
import { parseInput } from '../validate.js';
import type { ServiceDeps } from './deps.js';

export interface HistoryPage extends Connection<Message> {
  /** Messages of the session matching the role filter, whatever the page. */
  totalCount: number;
}

export function messageOperations(deps: ServiceDeps) {
  const { storage, inputs } = deps;

  async function appendMessages(sessionId: string, input: InputOf<'appendMessages'>): Promise<AppendResult> {
    const args = parseInput(inputs.appendMessages, input);
    const at = deps.now();
    const drafts: MessageDraft[] = args.messages.map((m) => ({
      id: deps.newId(),
      role: m.role,
      content: m.content,
      name: m.name ?? null,
      metadata: m.metadata ?? {},
      createdAt: at,
      clientId: m.clientId ?? null,
    }));
    const result = await storage.appendMessages(sessionId, drafts, {
      expectedSeq: args.expectedSeq ?? null,
      maxMessages: deps.limits.maxMessagesPerSession,
      at,
      expiresAt: deps.expiry(at),
    });
    if (result.added.length > 0) deps.publish({ type: 'MESSAGES_ADDED', session: result.session, messages: result.added });
    return result;
  }

  async function appendMessage(
    sessionId: string,
    message: InputOf<'message'>,
    expectedSeq?: number | null,
  ): Promise<{ session: Session; message: Message; added: boolean }> {
    try {
      const { session, messages, added } = await appendMessages(sessionId, { messages: [message], expectedSeq });
      return { session, message: messages[0] as Message, added: added.length > 0 };
    } catch (error) {
      throw renamePath(error, ['messages', 0], ['message']);
    }
  }

  /**
   * A page of a session's history. Forward (`first`, `after`) or backward (`last`, `before`); with
   * neither, the latest page (or the page after `after`). Cursors are seqs, so pages stay stable
   * while messages are appended.
   */
  async function history(sessionId: string, input: InputOf<'history'> = {}): Promise<HistoryPage> {
    const args = parseInput(inputs.history, input);
    if (args.first != null && args.last != null) {
      throw new ValidationError([{ path: ['last'], message: 'Give first or last, not both' }]);
    }
    const after = args.after != null ? parseSeqCursor(args.after, ['after']) : undefined;
    const before = args.before != null ? parseSeqCursor(args.before, ['before']) : undefined;
    const roles = args.roles && args.roles.length > 0 ? args.roles : undefined;
    const session = await storage.getSession(sessionId);
    if (!session) throw new NotFoundError('Session', sessionId);
    const totalCount = roles ? roles.reduce((n, r) => n + session.messagesByRole[r], 0) : session.messageCount;
    const forward = args.first != null || (args.last == null && after !== undefined);
    const size = (forward ? args.first : args.last) ?? deps.limits.defaultPageSize;
    const range = { afterSeq: after, beforeSeq: before, roles };
    const rows = await storage.listMessages(sessionId, { ...range, direction: forward ? 'ASC' : 'DESC', limit: size + 1 });
    const more = rows.length > size;
    const items = forward ? rows.slice(0, size) : rows.slice(0, size).reverse();
    const beyondCursor = forward ? after : before;
    const other =
      beyondCursor === undefined
        ? false
        : await exists(sessionId, roles, forward ? { beforeSeq: beyondCursor + 1 } : { afterSeq: beyondCursor - 1 });
    return {
      ...toConnection(items, (m) => seqCursor(m.seq), {
        hasNextPage: forward ? more : other,
        hasPreviousPage: forward ? other : more,
      }),
      totalCount,
    };
  }

  async function exists(
    sessionId: string,
    roles: readonly Role[] | undefined,
    bound: { beforeSeq?: number; afterSeq?: number },
  ): Promise<boolean> {
    const rows = await storage.listMessages(sessionId, { ...bound, roles, direction: 'ASC', limit: 1 });
    return rows.length > 0;
  }

  /** The history in chat-completion shape, system prompt first; only the last `lastN` messages if given. */
  async function modelMessages(sessionId: string, input: InputOf<'modelMessages'> = {}): Promise<ChatMessage[]> {
    const { lastN } = parseInput(inputs.modelMessages, input);
    const session = await storage.getSession(sessionId);
    if (!session) throw new NotFoundError('Session', sessionId);
    return toChatMessages(session, await latest(session, lastN ?? null));
  }

  async function latest(session: Session, count: number | null): Promise<Message[]> {
    if (count === null) return deps.readAll(session.id, session.lastSeq);
    const rows = await storage.listMessages(session.id, { direction: 'DESC', limit: count, beforeSeq: session.lastSeq + 1 });
    return rows.reverse();
  }

  return { appendMessages, appendMessage, history, modelMessages };
}
