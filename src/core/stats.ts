import { emptyRoleCounts, type Message, type Role, type RoleCounts, type Session, type SessionStats } from './model.js';

export const PREVIEW_LENGTH = 200;

/** The session fields that storage keeps up to date as messages are appended. */
export type SessionCounters = Pick<
  Session,
  'messageCount' | 'lastSeq' | 'firstMessageAt' | 'lastMessageAt' | 'messagesByRole' | 'exchangeCount' | 'lastRole' | 'preview'
>;

/** What a batch of messages (in seq order) adds to a session's counters. */
export interface BatchSummary {
  count: number;
  lastSeq: number;
  byRole: RoleCounts;
  /** Exchanges wholly inside the batch. */
  exchanges: number;
  firstRole: Role;
  lastRole: Role;
  /** The earliest and the latest createdAt of the batch (imported messages need not be in time order). */
  earliestAt: Date;
  latestAt: Date;
  /** Preview of the batch's first user message, if any. */
  preview: string | null;
}

export function emptyCounters(): SessionCounters {
  return {
    messageCount: 0,
    lastSeq: 0,
    firstMessageAt: null,
    lastMessageAt: null,
    messagesByRole: emptyRoleCounts(),
    exchangeCount: 0,
    lastRole: null,
    preview: null,
  };
}

export function summarizeBatch(messages: readonly Pick<Message, 'role' | 'content' | 'createdAt' | 'seq'>[]): BatchSummary | null {
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (!first || !last) return null;
  const byRole = emptyRoleCounts();
  let exchanges = 0;
  let preview: string | null = null;
  let previous: Role | null = null;
  let earliestAt = first.createdAt;
  let latestAt = first.createdAt;
  for (const m of messages) {
    if (m.createdAt < earliestAt) earliestAt = m.createdAt;
    if (m.createdAt > latestAt) latestAt = m.createdAt;
    byRole[m.role] += 1;
    if (previous === 'USER' && m.role === 'ASSISTANT') exchanges += 1;
    if (preview === null && m.role === 'USER') preview = makePreview(m.content);
    previous = m.role;
  }
  return {
    count: messages.length,
    lastSeq: last.seq,
    byRole,
    exchanges,
    firstRole: first.role,
    lastRole: last.role,
    earliestAt,
    latestAt,
    preview,
  };
}

/**
 * The counters after appending a summarised batch: what every adapter must compute atomically.
 * firstMessageAt and lastMessageAt are the earliest and the latest message times, whatever the
 * order of the messages, so that the duration between them is never negative.
 */
export function applyBatch(counters: SessionCounters, batch: BatchSummary): SessionCounters {
  const messagesByRole = { ...counters.messagesByRole };
  for (const role of Object.keys(batch.byRole) as Role[]) messagesByRole[role] += batch.byRole[role];
  const bridging = counters.lastRole === 'USER' && batch.firstRole === 'ASSISTANT' ? 1 : 0;
  return {
    messageCount: counters.messageCount + batch.count,
    lastSeq: batch.lastSeq,
    firstMessageAt: earlier(counters.firstMessageAt, batch.earliestAt),
    lastMessageAt: later(counters.lastMessageAt, batch.latestAt),
    messagesByRole,
    exchangeCount: counters.exchangeCount + batch.exchanges + bridging,
    lastRole: batch.lastRole,
    preview: counters.preview ?? batch.preview,
  };
}

const earlier = (a: Date | null, b: Date) => (a !== null && a <= b ? a : b);
const later = (a: Date | null, b: Date) => (a !== null && a >= b ? a : b);

export function countersOf(messages: readonly Message[]): SessionCounters {
  const summary = summarizeBatch(messages);
  return summary ? applyBatch(emptyCounters(), summary) : emptyCounters();
}

export function makePreview(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length <= PREVIEW_LENGTH ? flat : `${flat.slice(0, PREVIEW_LENGTH - 1)}…`;
}

export function sessionStats(session: Session): SessionStats {
  const { firstMessageAt, lastMessageAt } = session;
  return {
    messageCount: session.messageCount,
    exchangeCount: session.exchangeCount,
    messagesByRole: { ...session.messagesByRole },
    firstMessageAt,
    lastMessageAt,
    durationMs: firstMessageAt && lastMessageAt ? Math.max(0, lastMessageAt.getTime() - firstMessageAt.getTime()) : 0,
    preview: session.preview,
  };
}
