import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server does with one request; steps are taken in order, the last one repeats. */
export type Step =
  | { status: number; message?: string }
  | {
      tokens: string[];
      /** Pause before each token. */
      delayMs?: number;
      /** Stop sending after this many tokens and keep the connection open. */
      hangAfter?: number;
      /** Destroy the connection after this many tokens. */
      dropAfter?: number;
      /** Sent in the last chunk; default 'stop'; null sends none. */
      finishReason?: string | null;
      usage?: { prompt_tokens: number; completion_tokens: number } | null;
    };

export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A real HTTP server speaking the Chat Completions streaming protocol (SSE of
 * `chat.completion.chunk`, then `[DONE]`), scripted per test.
 */
export async function startOpenAIServer() {
  let steps: Step[] = [{ tokens: ['Hello', ' there'] }];
  const received: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  let closedEarly = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const step = (steps.length > 1 ? steps.shift() : steps[0]) as Step;
    if ('status' in step) {
      res.writeHead(step.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: step.message ?? `scripted ${step.status}`, type: 'test' } }));
      return;
    }
    open.add(res);
    res.on('close', () => {
      if (!res.writableEnded) closedEarly += 1;
      open.delete(res);
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const model = typeof body.model === 'string' ? body.model : 'test-model';
    const send = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) =>
      res.write(
        `data: ${JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion.chunk',
          created: 1,
          model,
          choices: usage === undefined ? [{ index: 0, delta, finish_reason: finish }] : [],
          ...(usage === undefined ? {} : { usage }),
        })}\n\n`,
      );
    send({ role: 'assistant', content: '' }, null);
    for (const [i, token] of step.tokens.entries()) {
      if (step.hangAfter === i) return;
      if (step.dropAfter === i) {
        // Let what was written reach the client first: the cut comes between two tokens.
        await new Promise((r) => setTimeout(r, 50));
        res.destroy();
        return;
      }
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
      if (res.destroyed) return;
      send({ content: token }, null);
    }
    if (step.finishReason !== null) send({}, step.finishReason ?? 'stop');
    const usage = step.usage === undefined ? { prompt_tokens: 7, completion_tokens: step.tokens.length } : step.usage;
    if (usage !== null) send({}, null, { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens });
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    received,
    /** Replaces the script. */
    script(...next: Step[]) {
      steps = next;
    },
    /** Streams cut by the client before the server finished them. */
    get closedEarly() {
      return closedEarly;
    },
    get openStreams() {
      return open.size;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type OpenAIServer = Awaited<ReturnType<typeof startOpenAIServer>>;
