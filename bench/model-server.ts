import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { followParent } from './child.js';

/*
 * S6's model, in its own process (so that its CPU is not counted as Parley's or the baseline's):
 * `model-server.ts <tokensPerSecond> <firstTokenDelayMs>`. A Chat Completions endpoint
 * (POST /v1/chat/completions, stream: true) that answers every request with `max_tokens` tokens,
 * one SSE chunk each, paced at `tokensPerSecond` per stream from `firstTokenDelayMs` after the
 * request (the model's time to first token), then a finish chunk, a usage chunk and [DONE], as
 * the Chat Completions streaming protocol has it (test/providers/openai-server.ts speaks the same
 * protocol for the tests; this one adds the pacing and the timestamps).
 *
 * Each token's text is the time it was written, `<ms since the epoch, 3 decimals>;`
 * (performance.timeOrigin + performance.now(): the same clock as every process on the machine,
 * to the microsecond), so that whoever receives the token computes provider-send to receive.
 * Sends { baseURL } over IPC and answers 'cpu' like the other server children.
 */
const [tokensPerSecond = '50', firstTokenDelayMs = '500'] = process.argv.slice(2);
const interval = 1000 / Number(tokensPerSecond);
const firstDelay = Number(firstTokenDelayMs);
followParent();

const now = () => (performance.timeOrigin + performance.now()).toFixed(3);
const chunk = (model: string, choices: unknown[], usage?: unknown) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model, choices, ...(usage === undefined ? {} : { usage }) })}\n\n`;

function stream(res: ServerResponse, model: string, tokens: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk(model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  const started = performance.now() + firstDelay;
  let sent = 0;
  // Each token is due at its own time from the start (no drift when a timer fires late).
  const next = () => {
    if (res.destroyed) return;
    res.write(chunk(model, [{ index: 0, delta: { content: `${now()};` }, finish_reason: null }]));
    sent += 1;
    if (sent < tokens) {
      setTimeout(next, Math.max(0, started + sent * interval - performance.now()));
      return;
    }
    res.write(chunk(model, [{ index: 0, delta: {}, finish_reason: 'stop' }]));
    res.write(chunk(model, [], { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens }));
    res.end('data: [DONE]\n\n');
  };
  setTimeout(next, firstDelay);
}

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { model?: string; max_tokens?: number; stream?: boolean };
    if (req.url !== '/v1/chat/completions' || body.stream !== true || !body.max_tokens) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'this bench model streams chat completions with max_tokens only', type: 'bench' } }));
      return;
    }
    stream(res, body.model ?? 'bench', body.max_tokens);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ baseURL: `http://127.0.0.1:${port}/v1` });
});
