import { describe, expect, it } from 'vitest';
import { ValidationError, jsonPath } from '../../src/core/errors.js';
import { detectFormat, parseDocument } from '../../src/core/exchange/formats.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { mergePatch } from '../../src/core/service/sessions.js';
import { fixture } from '../contract/exchange.js';

describe('exchange formats', () => {
  it('recognises each format from the shape of the document', () => {
    expect(detectFormat(fixture('chat-messages.json'))).toBe('CHAT_MESSAGES');
    expect(detectFormat(fixture('sdk-session.json'))).toBe('SDK');
    expect(detectFormat({ format: 'parley.session', version: 1 })).toBe('PARLEY');
    expect(() => detectFormat({ format: 'other/v2' })).toThrow(ValidationError);
    expect(() => detectFormat({ title: 'no messages' })).toThrow(/Unrecognised document/);
  });

  it('parses the SDK fixture into Parley terms, message ids becoming clientIds', () => {
    const parsed = parseDocument(fixture('sdk-session.json'), DEFAULT_LIMITS);
    expect(parsed.session.id).toBe('5f3e9a7b-6c1d-4d8e-9e7a-9b8c7d6e5f4a');
    expect(parsed.messages.map((m) => [m.role, m.clientId])).toEqual([
      ['USER', 'msg_1'],
      ['ASSISTANT', 'msg_2'],
      ['USER', 'msg_3'],
    ]);
  });

  it('names a newer Parley document version as unsupported', () => {
    const error = (() => {
      try {
        parseDocument({ format: 'parley.session', version: 2, session: {}, messages: [] }, DEFAULT_LIMITS);
      } catch (e) {
        return e as ValidationError;
      }
      return null;
    })();
    expect(error?.problems).toContainEqual(expect.objectContaining({ path: ['version'], message: expect.stringMatching(/version 1/) }));
  });

  it('rejects chat parts that are not text', () => {
    expect(() => parseDocument([{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }], DEFAULT_LIMITS)).toThrow(ValidationError);
  });
});

describe('problem paths', () => {
  it('spells paths as JSONPath', () => {
    expect(jsonPath(['messages', 2, 'role'])).toBe('$.messages[2].role');
    expect(jsonPath(['metadata', 'odd key'])).toBe('$.metadata["odd key"]');
    expect(jsonPath([])).toBe('$');
  });
});

describe('merge patch', () => {
  it('follows RFC 7396: objects merge recursively, null removes, anything else replaces', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({ a: 'z', c: { d: 'e' } });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: 1 }, { b: { c: null } })).toEqual({ a: 1, b: {} });
  });
});

describe('JSON objects with a "__proto__" key', () => {
  it('keep it as an ordinary key through create, merge patch, merge and filters', async () => {
    const { createMemoryStorage } = await import('../../adapters/memory/index.js');
    const { createSessionService } = await import('../../src/core/service/index.js');
    const service = createSessionService({ storage: createMemoryStorage() });
    const metadata = JSON.parse('{"__proto__": {"polluted": true}, "k": 1}') as Record<string, never>;
    const a = await service.createSession({ id: 'a', metadata });
    expect(Object.keys(a.metadata)).toEqual(['__proto__', 'k']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const patched = await service.updateSession('a', { metadata: JSON.parse('{"__proto__": {"more": 2}}') as Record<string, never> });
    expect(JSON.stringify(patched.metadata)).toBe('{"__proto__":{"polluted":true,"more":2},"k":1}');
    await service.createSession({ id: 'b', metadata: { other: true } });
    const merged = await service.mergeSessions({ ids: ['b', 'a'] });
    expect(Object.keys(merged.metadata).sort()).toEqual(['__proto__', 'k', 'other']);
    const filtered = await service.listSessions({ filter: { metadata: JSON.parse('{"__proto__": 1}') as Record<string, never> } });
    expect(filtered.edges).toEqual([]);
  });
});
