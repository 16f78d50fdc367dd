import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, MESSAGE_ADDED, startApp, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** An SSE subscription read over a raw HTTP connection, so that the test decides when it reads. */
async function openSse(url: string, body: unknown): Promise<{ response: IncomingMessage; text: () => string; ended: Promise<void> }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, resolve);
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    text += chunk;
    // A stream that never ends must not take the test's memory with it.
    if (text.length > 50_000_000) response.destroy();
  });
  const ended = new Promise<void>((resolve) => response.on('end', resolve).on('close', resolve));
  return { response, text: () => text, ended };
}

/** The SSE events of a stream's text, as `event:` name and parsed `data:`. */
function eventsOf(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .slice(0, -1) // the last piece is incomplete or empty
    .filter((block) => block.startsWith('event: '))
    .map((block) => {
      const [head, data = ''] = block.split('\n');
      const json = data.slice('data:'.length).trim();
      return { event: head!.slice('event: '.length), data: json ? (JSON.parse(json) as unknown) : null };
    });
}

type Next = { data?: { messageAdded: { seq: number } }; errors?: { extensions?: { code?: string } }[] };

describe('a slow subscriber over Server-Sent Events', () => {
  it('gets one SUBSCRIBER_TOO_SLOW error and then the end of its stream, while other clients are served', async () => {
    running = await startApp({ subscriptionBuffer: 20 });
    const { app, url } = running;
    await app.service.createSession({ id: 'flood' });
    const sse = await openSse(url, { query: MESSAGE_ADDED, variables: { id: 'flood' } });
    expect(sse.response.headers['content-type']).toMatch(/text\/event-stream/);
    await eventually(() => app.events.listenerCount() === 1, 5000, 'the subscription');
    // The subscriber stops reading; appends go on until the server cuts it off.
    sse.response.pause();
    const big = 'x'.repeat(60_000);
    let sent = 0;
    while (app.events.listenerCount() > 0 && sent < 4000) {
      await app.service.appendMessages('flood', { messages: Array.from({ length: 20 }, () => ({ role: 'USER' as const, content: big })) });
      sent += 20;
    }
    expect(app.events.listenerCount()).toBe(0);

    // It reads again: whatever was already on its way, one error, then the end, in bounded time.
    // CPU of this process (server and both clients) over the first second after it reads again.
    const cpuBefore = process.cpuUsage();
    const windowStart = Date.now();
    const cpuWindow = new Promise<{ cpuMs: number; windowMs: number }>((resolve) =>
      setTimeout(() => {
        const cpu = process.cpuUsage(cpuBefore);
        resolve({ cpuMs: Math.round((cpu.user + cpu.system) / 1000), windowMs: Date.now() - windowStart });
      }, 1000),
    );
    sse.response.resume();
    const latencies: number[] = [];
    const queries = (async () => {
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ session(id: "flood") { ... on Session { messageCount } } }' }),
          signal: AbortSignal.timeout(5000),
        });
        expect(await answer.json()).toEqual({ data: { session: { messageCount: sent } } });
        latencies.push(Date.now() - started);
      }
    })();
    const outcome = await Promise.race([
      sse.ended.then(() => 'ended'),
      new Promise((resolve) => setTimeout(resolve, 10_000, 'still open')),
    ]);
    await queries;
    const cpu = await cpuWindow;
    sse.response.destroy();

    const events = eventsOf(sse.text());
    const nexts = events.filter((e) => e.event === 'next').map((e) => e.data as Next);
    const errors = nexts.filter((n) => n.errors);
    const seqs = nexts.flatMap((n) => (n.data ? [n.data.messageAdded.seq] : []));
    if (process.env.LIVE_FIGURES) {
      console.info(
        JSON.stringify({ sent, delivered: seqs.length, errorEvents: errors.length, outcome, ...cpu, queryMs: latencies }),
      );
    }
    expect(outcome).toBe('ended');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.errors).toMatchObject([{ extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }]);
    // What arrived before the cut came in order from the first seq, and the error was the last word.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(events.map((e) => e.event).slice(-2)).toEqual(['next', 'complete']);
    expect(nexts[nexts.length - 1]).toBe(errors[0]);
    expect(latencies).toHaveLength(10);
  }, 30_000);
});
