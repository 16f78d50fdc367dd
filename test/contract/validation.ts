import { describe, expect, it } from 'vitest';
import { LimitExceededError, ValidationError, type Problem } from '../../src/core/errors.js';
import type { ContractContext } from './harness.js';

/** Calls `run`, expecting a ValidationError; gives its problems as 'path: message' lines. */
async function problemsOf(run: () => Promise<unknown>): Promise<Problem[]> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

const paths = (problems: Problem[]) => problems.map((p) => p.path.join('.')).sort();

export function validationContract(ctx: ContractContext) {
  describe('invalid input', () => {
    it('reports every problem of a new session at once and stores nothing', async () => {
      const problems = await problemsOf(() =>
        ctx.service.createSession({
          id: 'bad id!',
          title: 42,
          metadata: { ok: 1, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, fn: () => 1 },
          context: [],
          colour: 'red',
          messages: [
            { role: 'USER', content: 'fine' },
            { role: 'ROBOT', content: 'x' },
            { role: 'USER' },
            { role: 'USER', content: 'dup', clientId: 'same' },
            { role: 'USER', content: 'dup', clientId: 'same' },
          ],
        } as never),
      );
      expect(paths(problems)).toEqual(
        [
          'colour',
          'context',
          'id',
          'messages.1.role',
          'messages.2.content',
          'messages.4.clientId',
          'metadata.fn',
          'metadata.inf',
          'metadata.nan',
          'title',
        ].sort(),
      );
      expect(problems.find((p) => p.path[0] === 'colour')?.message).toBe('Unknown field');
      expect(await ctx.service.countSessions()).toBe(0);
    });

    it('rejects a whole append when one message is bad and stores none of it', async () => {
      const s = await ctx.service.createSession({});
      const problems = await problemsOf(() =>
        ctx.service.appendMessages(s.id, {
          messages: [{ role: 'USER', content: 'good' }, { role: 'USER', content: 'x', metadata: 'not an object' }],
          expectedSeq: -1,
        } as never),
      );
      expect(paths(problems)).toEqual(['expectedSeq', 'messages.1.metadata']);
      await expect(ctx.service.appendMessages(s.id, { messages: [] })).rejects.toBeInstanceOf(ValidationError);
      expect((await ctx.service.getSession(s.id)).messageCount).toBe(0);
    });

    it('rejects oversized input with LimitExceededError naming each limit, and stores nothing', async () => {
      const service = ctx.serviceWith({ maxContentLength: 5, maxBatchSize: 2, maxTitleLength: 3, maxMetadataKeys: 2 });
      const error = await service
        .createSession({
          title: 'long title',
          metadata: { a: 1, b: 2, c: 3 },
          messages: [
            { role: 'USER', content: 'too long' },
            { role: 'USER', content: 'ok' },
            { role: 'USER', content: 'ok' },
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LimitExceededError);
      const limits = (error as LimitExceededError).violations.map((v) => [v.limit, v.path.join('.'), v.max]);
      expect(limits).toEqual(
        expect.arrayContaining([
          ['maxTitleLength', 'title', 3],
          ['maxMetadataKeys', 'metadata', 2],
          ['maxContentLength', 'messages.0.content', 5],
          ['maxBatchSize', 'messages', 2],
        ]),
      );
      expect(await service.countSessions()).toBe(0);
    });

    it('rejects deeply nested and oversized metadata', async () => {
      const service = ctx.serviceWith({ maxJsonDepth: 3, maxMetadataBytes: 50 });
      const deep = await service.createSession({ metadata: { a: { b: { c: { d: 1 } } } } }).catch((e: unknown) => e);
      expect(deep).toMatchObject({ violations: [{ limit: 'maxJsonDepth', path: ['metadata', 'a', 'b', 'c'] }] });
      const big = await service.createSession({ metadata: { text: 'x'.repeat(60) } }).catch((e: unknown) => e);
      expect(big).toMatchObject({ violations: [{ limit: 'maxMetadataBytes', path: ['metadata'] }] });
      expect(await service.countSessions()).toBe(0);
    });

    it('rejects page sizes that are negative or above the maximum', async () => {
      const s = await ctx.service.createSession({});
      await expect(ctx.service.history(s.id, { last: -1 })).rejects.toBeInstanceOf(ValidationError);
      await expect(ctx.service.history(s.id, { first: 101 })).rejects.toMatchObject({ limit: 'maxPageSize' });
      await expect(ctx.service.listSessions({ first: 1000 })).rejects.toMatchObject({ limit: 'maxPageSize' });
      await expect(ctx.service.listUsers({ first: 1.5 })).rejects.toBeInstanceOf(ValidationError);
    });

    it('rejects a MERGE whose result would exceed the metadata limits, changing nothing', async () => {
      const service = ctx.serviceWith({ maxMetadataKeys: 3 });
      const s = await service.createSession({ metadata: { a: 1, b: 2 } });
      const over = service.updateSession(s.id, { metadata: { c: 3, d: 4 } });
      await expect(over).rejects.toMatchObject({ limit: 'maxMetadataKeys' });
      expect(await service.getSession(s.id)).toEqual(s);
    });
  });
}
