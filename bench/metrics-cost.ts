import { execFileSync } from 'node:child_process';
import { createMemoryStorage } from '../adapters/memory/index.js';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { appendMessage } from './scenarios/append-message.js';

/*
 * `npx tsx bench/metrics-cost.ts [rounds]`: the server's CPU time per S1 append (appendMessage,
 * one 200-character message), with metrics off and on, each in a fresh process of its own, in
 * alternate order round after round. Requests go through yoga.fetch, in-process, 25 at a time: no
 * sockets and no load generator share the measured process, so that the figure moves less than
 * req/s does on a busy machine. It prints the per-round figures and the median on/off ratio.
 */
const [mode = '5'] = process.argv.slice(2);

async function child(metrics: boolean): Promise<void> {
  const config = { ...loadConfig({ GRAPHIQL: 'false', METRICS: String(metrics) }), shutdownTimeoutMs: 100 };
  const app = createApp({ storage: createMemoryStorage(), config });
  const content = 'x'.repeat(200);
  let session = 0;
  const batch = async (count: number) => {
    // A new session every 1,000 appends, under the per-session message limit.
    const id = `s${session++}`;
    await app.service.createSession({ id });
    for (let done = 0; done < count; done += 25) {
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          const response = await app.yoga.fetch('http://parley.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: appendMessage.query, variables: { sessionId: id, message: { role: 'USER', content } } }),
          });
          const body = (await response.json()) as { errors?: unknown; data?: { appendMessage: { __typename: string } } };
          if (body.errors || body.data?.appendMessage.__typename !== 'AppendMessagePayload') throw new Error(JSON.stringify(body));
        }),
      );
    }
  };
  for (let i = 0; i < 3; i++) await batch(1000); // warm-up: compiled queries, JIT
  const before = process.cpuUsage();
  const rounds = 6;
  for (let i = 0; i < rounds; i++) await batch(1000);
  const used = process.cpuUsage(before);
  process.stdout.write(String((used.user + used.system) / (rounds * 1000)));
  await app.stop();
}

function run(metrics: boolean): number {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, metrics ? 'on' : 'off'], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (mode === 'on' || mode === 'off') {
  await child(mode === 'on');
} else {
  const rounds = Number(mode);
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const metrics of order) (metrics ? on : off).push(run(metrics));
    console.log(`round ${round + 1}: off ${off[round]!.toFixed(0)} µs/req, on ${on[round]!.toFixed(0)} µs/req, on/off ${(on[round]! / off[round]!).toFixed(3)}`);
  }
  const ratios = on.map((v, i) => v / off[i]!);
  console.log(`median: off ${median(off).toFixed(0)} µs/req, on ${median(on).toFixed(0)} µs/req, median on/off ${median(ratios).toFixed(3)}`);
}
