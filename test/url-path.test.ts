import { describe, expect, it } from 'vitest';
import { pathOf, plainPathOf } from '../src/server/url-path.js';

// The request URLs yoga's adapter and the lean HTTP path build: `http://<Host header><request target>`.
const URLS = [
  'http://localhost:4000/graphql',
  'http://localhost:4000/graphql?query=%7B__typename%7D',
  'http://127.0.0.1/metrics#x',
  'http://[::1]:4000/ready?',
  'http://example.test/',
  'http://example.test/a/b/c',
  'http://example.test/graph%71l',
  'http://example.test/./graphql',
  'http://example.test/a/../graphql',
  'http://example.test/gr aphql',
  'http://example.test\\graphql',
  'http://example.test/graphql.json',
  'http://example.test/%2e%2e/graphql',
  'http://user:pass@example.test/graphql?a#b',
  'http://example.test',
  'http://example.test?x=/graphql',
];

describe('the path of a request URL', () => {
  it('is what URL gives, for every URL, read from the text where that is safe', () => {
    for (const url of URLS) expect(pathOf(url), url).toBe(new URL(url).pathname);
  });

  it('reads a plain path from the text, and leaves escapes, dot segments and odd characters to URL', () => {
    expect(plainPathOf('http://localhost:4000/graphql?x=1')).toBe('/graphql');
    expect(plainPathOf('http://localhost:4000/graphql#top')).toBe('/graphql');
    expect(plainPathOf('http://example.test/graph%71l')).toBeNull();
    expect(plainPathOf('http://example.test/./graphql')).toBeNull();
    expect(plainPathOf('http://example.test\\graphql')).toBeNull();
    expect(plainPathOf('http://example.test')).toBeNull();
  });
});
