import { describe, expect, it } from 'vitest';
import { escapeKey, fromStoredJson, toStoredJson, unescapeKey } from '../adapters/mongo/json-keys.js';
import { escapeRegex, keysetQuery, sessionFilterQuery } from '../adapters/mongo/session-query.js';

/** Every key of an object, at every depth. */
function keysOf(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(keysOf);
  return Object.entries(value).flatMap(([key, item]) => [key, ...keysOf(item)]);
}

describe('MongoDB adapter: storing arbitrary JSON keys', () => {
  const awkward = ['', '%', '%2E', 'a.b', '$where', 'a$b', 'nul\0byte', '__proto__', 'constructor', 'plain', 'ünï.cödé'];

  it('escapes keys into plain field names and back, for every key', () => {
    for (const key of awkward) {
      const stored = escapeKey(key);
      expect(stored).not.toBe('');
      expect(stored).not.toMatch(/[.$\0]/);
      expect(unescapeKey(stored)).toBe(key);
    }
    expect(new Set(awkward.map(escapeKey)).size).toBe(awkward.length);
  });

  it('round-trips nested objects and arrays, keeping "__proto__" an ordinary key', () => {
    const value = JSON.parse('{"a.b":{"$c":[{"":1},{"__proto__":{"x.y":true}}]},"__proto__":"own"}');
    const stored = toStoredJson(value);
    expect(keysOf(stored).every((key) => !/[.$\0]/.test(key) && key !== '')).toBe(true);
    const back = fromStoredJson(stored);
    expect(back).toEqual(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });
});

describe('MongoDB adapter: session filters as queries', () => {
  it('turns user input into values only, never into operators or deeper paths', () => {
    const query = sessionFilterQuery({
      ownerId: '$ne',
      metadata: { 'a.b': 1, $gt: 'x', status: null },
      titleContains: 'a.*(b)$',
    }) as Record<string, unknown>;
    expect(query).toEqual({
      ownerId: { $eq: '$ne' },
      'metadata.a%2Eb': { $eq: 1 },
      'metadata.%24gt': { $eq: 'x' },
      'metadata.status': { $exists: true, $eq: null },
      title: { $regex: 'a\\.\\*\\(b\\)\\$', $options: 'i' },
    });
  });

  it('escapes every regex metacharacter, and NUL, so that a title search matches the text literally', () => {
    const text = '.*+?^${}()|[]\\/ a\0b';
    const pattern = new RegExp(escapeRegex(text), 'i');
    expect(pattern.test(`xx${text.toUpperCase()}yy`)).toBe(true);
    expect(pattern.test('anything else')).toBe(false);
    expect(escapeRegex('a\0b')).toBe('a\\x00b');
  });

  it('bounds a keyset page by the ordered field, breaking ties on the id', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(keysetQuery({ field: 'UPDATED_AT', direction: 'DESC' }, { at, id: 's9' })).toEqual({
      updatedAt: { $lte: at },
      $or: [{ updatedAt: { $lt: at } }, { _id: { $lt: 's9' } }],
    });
    expect(keysetQuery({ field: 'CREATED_AT', direction: 'ASC' }, { at, id: 's9' })).toEqual({
      createdAt: { $gte: at },
      $or: [{ createdAt: { $gt: at } }, { _id: { $gt: 's9' } }],
    });
  });
});
