import OpenAI from 'openai';
import { followParent } from './child.js';

/*
 * S6's baseline R, in its own process: `baseline-runs.ts <baseURL> <runs> <tokens> <warmupTokens>`.
 * The model's streams consumed directly with the `openai` SDK, as Parley's openai-compatible
 * provider consumes them, and nothing else: `runs` concurrent streaming chat completions of
 * `tokens` tokens, each delta's text appended to its reply and its provider-send to receive
 * latency noted (the same clock as bench/model-server.ts). No storage, no GraphQL, no subscriber.
 * A warm-up batch of `warmupTokens`-token replies runs first; then it sends { ready }, and on 'go'
 * runs the measured batch and reports. Answers 'cpu' like the server children, so that the parent
 * reads its CPU time around the batch exactly as it reads Parley's.
 */
followParent();
const [baseURL = '', runsArg = '1', tokensArg = '10', warmupArg = '10'] = process.argv.slice(2);
const runs = Number(runsArg);
const tokens = Number(tokensArg);
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
const clock = () => performance.timeOrigin + performance.now();

async function batch(count: number, latencies: number[] | null) {
  let deltas = 0;
  let wrong = 0;
  await Promise.all(
    Array.from({ length: runs }, async () => {
      const stream = await client.chat.completions.create({
        model: 'bench-model',
        messages: [{ role: 'user', content: 'Tell me a long story.' }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: count,
      });
      let text = '';
      let n = 0;
      let finished = false;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const piece = choice?.delta.content;
        if (piece) {
          const received = clock();
          text += piece;
          n += 1;
          latencies?.push(received - Number.parseFloat(piece));
        }
        if (choice?.finish_reason) finished = true;
      }
      if (n !== count || !finished || text.split(';').length !== count + 1) wrong += 1;
      deltas += n;
    }),
  );
  return { deltas, wrong };
}

const warm = await batch(Number(warmupArg), null);
if (warm.wrong > 0) throw new Error(`baseline warm-up: ${warm.wrong} streams ended wrong`);
process.send?.({ ready: true });
process.on('message', (message) => {
  if (message !== 'go') return;
  const latencies: number[] = [];
  const started = clock();
  void batch(tokens, latencies).then(({ deltas, wrong }) => {
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
    process.send?.({
      runs,
      tokens,
      seconds: (clock() - started) / 1000,
      expected: runs * tokens,
      delivered: deltas,
      lost: runs * tokens - deltas,
      wrong,
      p50: q(0.5),
      p99: q(0.99),
      max: latencies.at(-1) ?? Number.NaN,
    });
  });
});
