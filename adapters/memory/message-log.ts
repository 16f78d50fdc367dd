import type { JsonObject } from '../../src/core/json.js';
import { ROLES, type Role } from '../../src/core/model.js';
import type { MessageRange } from '../../src/core/storage.js';

/** A stored message: the session id is implied by the log, the time is kept as a number. */
export interface MessageRecord {
  readonly id: string;
  readonly seq: number;
  readonly role: Role;
  readonly content: string;
  readonly name: string | null;
  readonly metadata: JsonObject;
  readonly createdAt: number;
  readonly clientId: string | null;
}

/**
 * The messages of one session, in seq order, append-only. Besides the log itself it keeps the
 * position of every message per role and per clientId, so that a page (with or without a role
 * filter) and an idempotency lookup cost O(log n + page), whatever the length of the history.
 */
export class MessageLog {
  private readonly records: MessageRecord[] = [];
  private readonly positionsByRole = new Map<Role, number[]>();
  private clientIds: Map<string, MessageRecord> | null = null;

  get length(): number {
    return this.records.length;
  }

  append(record: MessageRecord): void {
    const position = this.records.push(record) - 1;
    let positions = this.positionsByRole.get(record.role);
    if (!positions) this.positionsByRole.set(record.role, (positions = []));
    positions.push(position);
    if (record.clientId !== null) (this.clientIds ??= new Map()).set(record.clientId, record);
  }

  byClientId(clientId: string): MessageRecord | undefined {
    return this.clientIds?.get(clientId);
  }

  range(range: MessageRange): MessageRecord[] {
    const roles = range.roles && range.roles.length > 0 && range.roles.length < ROLES.length ? new Set(range.roles) : null;
    if (!roles) return this.slice(null, range);
    const pages = [...roles].map((role) => this.slice(this.positionsByRole.get(role) ?? [], range));
    const merged = pages.length === 1 ? (pages[0] as MessageRecord[]) : pages.flat();
    if (pages.length > 1) merged.sort(range.direction === 'ASC' ? (a, b) => a.seq - b.seq : (a, b) => b.seq - a.seq);
    return merged.slice(0, range.limit);
  }

  /** A page of the log, or of the subset at `positions` (ascending positions in the log). */
  private slice(positions: readonly number[] | null, range: MessageRange): MessageRecord[] {
    const length = positions ? positions.length : this.records.length;
    const at = positions ? (i: number) => this.records[positions[i] as number] as MessageRecord : (i: number) => this.records[i] as MessageRecord;
    const afterSeq = range.afterSeq ?? -Infinity;
    const beforeSeq = range.beforeSeq ?? Infinity;
    const page: MessageRecord[] = [];
    if (range.direction === 'ASC') {
      for (let i = firstIndex(length, at, (seq) => seq > afterSeq); i < length && page.length < range.limit; i++) {
        const record = at(i);
        if (record.seq >= beforeSeq) break;
        page.push(record);
      }
    } else {
      for (let i = firstIndex(length, at, (seq) => seq >= beforeSeq) - 1; i >= 0 && page.length < range.limit; i--) {
        const record = at(i);
        if (record.seq <= afterSeq) break;
        page.push(record);
      }
    }
    return page;
  }
}

/** The first index whose record's seq satisfies `test` (a predicate that is monotonic in seq). */
function firstIndex(length: number, at: (i: number) => MessageRecord, test: (seq: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(at(mid).seq)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
