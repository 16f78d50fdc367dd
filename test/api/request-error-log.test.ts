import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../adapters/memory/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { captureLogs } from '../logs.js';
import { TEST_CONFIG } from './client.js';

/** Every line logged, the request's own line included: a refused request is that one line. */
function capture(level: 'info' | 'debug') {
  const lines: { level: string; line: string }[] = [];
  const { logger } = captureLogs(level, (parsed, line) => lines.push({ level: parsed.level, line }));
  return { logger, lines };
}

interface Answer {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('a request the client got wrong', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  async function askWithBadVariable(level: 'info' | 'debug') {
    const { lines, logger } = capture(level);
    app = createApp({ storage: createMemoryStorage(), config: TEST_CONFIG, logger });
    const url = await app.start(0);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($n: Int!) { sessions(first: $n) { __typename } }', variables: { n: 'x'.repeat(4 * 1024 * 1024) } }),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), text: await response.text(), lines };
  }

  it('answers 400 with a short message that still names the variable and its value, and keeps the code', async () => {
    const { status, text } = await askWithBadVariable('info');
    expect(status).toBe(400);
    expect(text.length).toBeLessThan(2048);
    const body = JSON.parse(text) as Answer;
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value "x{8,}/);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('logs one short info line, with the request id the response carries', async () => {
    const { requestId, lines } = await askWithBadVariable('info');
    expect(requestId).toMatch(/^[\w-]{8,}$/);
    expect(lines).toHaveLength(1);
    for (const { level, line } of lines) {
      expect(level).toBe('info');
      expect(line).toContain(requestId);
      expect(line.length).toBeLessThan(1024);
    }
  });

  it('writes no warning or error at debug level either, and every line about the variable is short and has the request id', async () => {
    const { requestId, lines } = await askWithBadVariable('debug');
    expect(lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    for (const { line } of lines) expect(line.length).toBeLessThan(1024);
    const about = lines.filter((l) => l.line.includes('$n'));
    expect(about.length).toBeLessThanOrEqual(1);
    for (const { line } of about) expect(line).toContain(requestId);
  });

  it('answers a document naming a 4 MiB field with a short message, and logs one short info line', async () => {
    const { lines, logger } = capture('info');
    app = createApp({ storage: createMemoryStorage(), config: TEST_CONFIG, logger });
    const response = await fetch(await app.start(0), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${'y'.repeat(4 * 1024 * 1024)} }` }),
    });
    const text = await response.text();
    expect(text.length).toBeLessThan(2048);
    expect((JSON.parse(text) as Answer).errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Cannot query field "y{8,}.*" on type "Query"/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(lines).toEqual([{ level: 'info', line: expect.stringContaining(`"requestId":"${response.headers.get('x-request-id')}"`) }]);
    expect(lines[0]!.line.length).toBeLessThan(1024);
  });

  it.each([
    ['keeps a client request id that is a short token', 'client-req.42:a_b', 'client-req.42:a_b'],
    ['replaces a client request id that is too long to log', 'z'.repeat(4000), null],
    ['replaces a client request id with spaces or quotes', 'a "b" c', null],
  ])('%s, and answers with the id it logged', async (_name, given, kept) => {
    const { lines, logger } = capture('info');
    app = createApp({ storage: createMemoryStorage(), config: TEST_CONFIG, logger });
    const response = await fetch(await app.start(0), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': given },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const requestId = response.headers.get('x-request-id');
    if (kept) expect(requestId).toBe(kept);
    else expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([{ level: 'info', line: expect.stringContaining(`"requestId":"${requestId}"`) }]);
  });
});
