import { describe, expect, it } from 'vitest';
import { MessageLog, type MessageRecord } from '../../adapters/memory/message-log.js';
import { ROLES, type Role } from '../../src/core/model.js';

function record(seq: number, role: Role): MessageRecord {
  return { id: `m${seq}`, seq, role, content: '', name: null, metadata: {}, createdAt: 0, clientId: null };
}

describe('MessageLog', () => {
  it('gives the same pages as filtering the whole history, for every bound, role set and direction', () => {
    const log = new MessageLog();
    const all: MessageRecord[] = [];
    let seq = 0;
    for (let i = 0; i < 120; i++) {
      seq += 1 + (i % 7 === 0 ? 2 : 0);
      const r = record(seq, ROLES[(i * 7 + (i >> 2)) % 4] as Role);
      log.append(r);
      all.push(r);
    }
    const roleSets: (Role[] | undefined)[] = [undefined, ['USER'], ['TOOL', 'SYSTEM'], ['USER', 'ASSISTANT', 'TOOL'], [...ROLES]];
    for (const roles of roleSets) {
      for (const afterSeq of [undefined, 0, 5, 60, 200]) {
        for (const beforeSeq of [undefined, 1, 30, 100, 500]) {
          for (const direction of ['ASC', 'DESC'] as const) {
            const limit = 9;
            const matching = all.filter(
              (r) => (!roles || roles.includes(r.role)) && r.seq > (afterSeq ?? -1) && r.seq < (beforeSeq ?? Infinity),
            );
            const expected = direction === 'ASC' ? matching.slice(0, limit) : matching.reverse().slice(0, limit);
            expect(log.range({ roles, afterSeq, beforeSeq, direction, limit })).toEqual(expected);
          }
        }
      }
    }
  });
});
