import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where a command writes: the file of -o, else stdout; `write` waits when the stream is full. */
export function output(file: string | undefined) {
  const stream: Writable = file ? createWriteStream(file) : process.stdout;
  return {
    async write(text: string): Promise<void> {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close(): Promise<void> {
      if (!file) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** Runs `work` over `items` with at most `limit` at a time, giving the results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
