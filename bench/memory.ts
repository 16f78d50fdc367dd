import { createMemoryStorage } from '../adapters/memory/index.js';
import { createSessionService } from '../src/core/service/index.js';
import { BATCH, CONTENT_LENGTH, contentOf } from './fixtures.js';
import { profileNamed } from './profile.js';

/*
 * S5, in its own process (node --expose-gc): `memory.ts <profile>`. Heap after a full GC with an
 * empty session, then after storing N distinct messages of 200 one-byte characters in the memory
 * adapter through the service (as appends of 500, with nothing else holding them). Per message,
 * that growth minus the content itself is the overhead. The content itself is what V8 needs for a
 * flat one-byte string of 200 characters, computed from its layout (216 bytes on x64 without
 * pointer compression) and checked against the heap the same strings take in a plain array.
 */
const profile = profileNamed(process.argv[2] ?? 'full');
const n = profile.storedMessages;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const storage = createMemoryStorage();
const service = createSessionService({ storage });
await service.createSession({ id: 'memory', title: 'S5' });

const h0 = heapAfterGc();
const contents: string[] = [];
for (let i = 0; i < n; i++) contents.push(contentOf(i + 1));
const h1 = heapAfterGc();
for (let start = 0; start < n; start += BATCH) {
  const messages = contents.slice(start, start + BATCH).map((content, k) => ({ role: k % 2 ? ('ASSISTANT' as const) : ('USER' as const), content }));
  await service.appendMessages('memory', { messages });
}
contents.length = 0;
const h2 = heapAfterGc();
const stored = (await storage.getSession('memory'))?.messageCount;
if (stored !== n) throw new Error(`stored ${stored} messages, expected ${n}`);

const pointerCompression = Boolean((process.config.variables as Record<string, unknown>)['v8_enable_pointer_compression']);
// A sequential one-byte string: map, hash and length fields (8 + 4 + 4 bytes, or 4 + 4 + 4 with
// pointer compression), then one byte per character, rounded up to the pointer size.
const word = pointerCompression ? 4 : 8;
const header = pointerCompression ? 12 : 16;
const contentLayoutBytes = Math.ceil((header + CONTENT_LENGTH) / word) * word;
const perMessage = (h2 - h0) / n;

process.send?.({
  messages: n,
  contentLength: CONTENT_LENGTH,
  contentLayoutBytes,
  /** Heap per content string while held in a plain array (includes that array's slot). */
  contentMeasuredBytes: (h1 - h0) / n,
  heapPerMessageBytes: perMessage,
  overheadBytes: perMessage - contentLayoutBytes,
  heapBefore: h0,
  heapAfter: h2,
});
