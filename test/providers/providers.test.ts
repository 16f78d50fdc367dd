import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../providers/echo/index.js';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible/index.js';
import type { ChatMessage } from '../../src/core/exchange/chat.js';
import { ModelError, unconfiguredProvider, type CompletionChunk, type CompletionRequest, type ModelProvider } from '../../src/core/provider.js';
import { startOpenAIServer, type OpenAIServer } from './openai-server.js';

const prompt: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hi to Lisbon' },
];

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return { model: null, messages: prompt, signal: new AbortController().signal, ...overrides };
}

async function collect(provider: ModelProvider, req: CompletionRequest) {
  const chunks: CompletionChunk[] = [];
  for await (const chunk of provider.stream(req)) chunks.push(chunk);
  const text = chunks.flatMap((c) => (c.type === 'delta' ? [c.text] : [])).join('');
  return { chunks, text, end: chunks.at(-1) };
}

/** The rejection of a stream, or a failure if it neither rejects nor ends within `ms`. */
async function rejection(iteration: Promise<unknown>, ms = 3_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([iteration, guard]);
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error('the stream ended without an error');
}

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.received.length = 0;
  server.script({ tokens: ['Hello', ' there'] });
});

const systems: { name: string; make: () => ModelProvider; slowly: () => void }[] = [
  { name: 'echo', make: () => createEchoProvider({ delayMs: 20 }), slowly: () => {} },
  {
    name: 'openai-compatible (against the test server)',
    make: () => createOpenAICompatibleProvider({ baseURL: server.baseURL, defaultModel: 'test-model', maxRetries: 0 }),
    slowly: () => server.script({ tokens: Array.from({ length: 50 }, (_, i) => `t${i} `), delayMs: 20 }),
  },
];

describe.each(systems)('the ModelProvider contract: $name', ({ make, slowly }) => {
  it('streams deltas, then exactly one end, last', async () => {
    const { chunks, text, end } = await collect(make(), request());
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.filter((c) => c.type === 'end')).toHaveLength(1);
    expect(end).toMatchObject({ type: 'end', finishReason: 'STOP' });
  });

  it('stops when the signal aborts mid-stream and rejects with its reason', async () => {
    slowly();
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const seen: string[] = [];
    const iteration = (async () => {
      for await (const chunk of make().stream(request({ signal: controller.signal }))) {
        if (chunk.type === 'delta') seen.push(chunk.text);
        if (seen.length === 2) controller.abort(reason);
      }
    })();
    expect(await rejection(iteration)).toBe(reason);
    expect(seen).toHaveLength(2);
  });

  it('rejects at once with the reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('too late');
    controller.abort(reason);
    expect(await rejection(collect(make(), request({ signal: controller.signal })))).toBe(reason);
  });
});

describe('the echo provider', () => {
  it('echoes the last user message, word by word, with usage', async () => {
    const { chunks, text, end } = await collect(createEchoProvider({ delayMs: 0 }), request());
    expect(text).toBe('Echo: Say hi to Lisbon');
    expect(chunks.filter((c) => c.type === 'delta').map((c) => (c.type === 'delta' ? c.text : ''))).toEqual(['Echo: ', 'Say ', 'hi ', 'to ', 'Lisbon']);
    expect(end).toEqual({ type: 'end', finishReason: 'STOP', usage: { promptTokens: 6, completionTokens: 5 }, model: 'echo' });
  });

  it('stops at maxOutputTokens with finish reason LENGTH', async () => {
    const { text, end } = await collect(createEchoProvider({ delayMs: 0 }), request({ maxOutputTokens: 2 }));
    expect(text).toBe('Echo: Say ');
    expect(end).toMatchObject({ finishReason: 'LENGTH', usage: { completionTokens: 2 } });
  });
});

describe('the openai-compatible provider', () => {
  const provider = (options: Partial<Parameters<typeof createOpenAICompatibleProvider>[0]> = {}) =>
    createOpenAICompatibleProvider({ baseURL: server.baseURL, apiKey: 'sk-test', defaultModel: 'base-model', maxRetries: 0, ...options });

  it('sends the prompt as a streaming chat completion with the mapped model and the key', async () => {
    const { text, end } = await collect(provider({ models: { fast: 'small-model' } }), request({ model: 'fast', maxOutputTokens: 64 }));
    expect(text).toBe('Hello there');
    expect(end).toEqual({ type: 'end', finishReason: 'STOP', usage: { promptTokens: 7, completionTokens: 2 }, model: 'small-model' });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-test',
      body: {
        model: 'small-model',
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hi to Lisbon' },
        ],
      },
    });
  });

  it('uses the default model when the session names none, and reports no usage when the endpoint sends none', async () => {
    server.script({ tokens: ['ok'], usage: null, finishReason: 'length' });
    const { end } = await collect(provider(), request());
    expect(server.received[0]?.body.model).toBe('base-model');
    expect(end).toEqual({ type: 'end', finishReason: 'LENGTH', usage: null, model: 'base-model' });
  });

  it('retries a 429 before the first token, then streams the reply once', async () => {
    server.script({ status: 429 }, { tokens: ['after', ' retry'] });
    const { text } = await collect(provider({ maxRetries: 2 }), request());
    expect(text).toBe('after retry');
    expect(server.received).toHaveLength(2);
  });

  it('gives up on 5xx after its retries with UNAVAILABLE and the status', async () => {
    server.script({ status: 503 });
    const error = await rejection(collect(provider({ maxRetries: 1 }), request()), 10_000);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ reason: 'UNAVAILABLE', status: 503, retryable: true });
    expect(server.received).toHaveLength(2);
  });

  it.each([
    [401, 'NOT_CONFIGURED'],
    [403, 'NOT_CONFIGURED'],
    [400, 'BAD_RESPONSE'],
    [404, 'BAD_RESPONSE'],
  ] as const)('answers %i with %s, without retrying', async (status, reason) => {
    server.script({ status });
    const error = await rejection(collect(provider({ maxRetries: 2 }), request()));
    expect(error).toMatchObject({ name: 'ModelError', reason, status });
    expect(server.received).toHaveLength(1);
  });

  it('fails a stream cut after the first token with a typed error, and does not retry it', async () => {
    server.script({ tokens: ['partial', ' reply', ' lost'], dropAfter: 1 });
    const seen: string[] = [];
    const iteration = (async () => {
      for await (const chunk of provider({ maxRetries: 2 }).stream(request())) if (chunk.type === 'delta') seen.push(chunk.text);
    })();
    const error = await rejection(iteration);
    expect(error).toBeInstanceOf(ModelError);
    expect(['UNAVAILABLE', 'BAD_RESPONSE']).toContain((error as ModelError).reason);
    expect(seen).toEqual(['partial']);
    expect(server.received).toHaveLength(1);
  });

  it('gives up on a stream that goes silent with TIMEOUT, and closes the connection', async () => {
    server.script({ tokens: ['one', ' two'], hangAfter: 1 });
    const error = await rejection(collect(provider({ idleTimeoutMs: 200 }), request()));
    expect(error).toMatchObject({ name: 'ModelError', reason: 'TIMEOUT' });
    await expect.poll(() => server.openStreams).toBe(0);
  });

  it('fails a stream that ends without a finish reason with BAD_RESPONSE', async () => {
    server.script({ tokens: ['no', ' end'], finishReason: null, usage: null });
    expect(await rejection(collect(provider(), request()))).toMatchObject({ name: 'ModelError', reason: 'BAD_RESPONSE' });
  });

  it('answers UNAVAILABLE when nothing listens at the endpoint', async () => {
    const port = await freePort();
    const error = await rejection(collect(provider({ baseURL: `http://127.0.0.1:${port}/v1` }), request()));
    expect(error).toMatchObject({ name: 'ModelError', reason: 'UNAVAILABLE' });
  });

  it('answers NOT_CONFIGURED without a request when there is no model to ask', async () => {
    const error = await rejection(collect(provider({ defaultModel: null }), request()));
    expect(error).toMatchObject({ name: 'ModelError', reason: 'NOT_CONFIGURED' });
    expect(server.received).toHaveLength(0);
  });

  it('closes the upstream request when the caller aborts', async () => {
    server.script({ tokens: Array.from({ length: 100 }, () => 'x'), delayMs: 10 });
    const controller = new AbortController();
    const iteration = (async () => {
      for await (const chunk of provider().stream(request({ signal: controller.signal }))) if (chunk.type === 'delta') controller.abort(new Error('stop'));
    })();
    await rejection(iteration);
    await expect.poll(() => server.openStreams).toBe(0);
    expect(server.closedEarly).toBeGreaterThanOrEqual(1);
  });
});

describe('without a configured provider', () => {
  it('fails every call with NOT_CONFIGURED', async () => {
    expect(await rejection(collect(unconfiguredProvider, request()))).toMatchObject({ name: 'ModelError', reason: 'NOT_CONFIGURED' });
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
