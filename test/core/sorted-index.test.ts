import { describe, expect, it } from 'vitest';
import { SortedIndex } from '../../adapters/memory/sorted-index.js';

/** A small deterministic generator, so a failing sequence can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('SortedIndex', () => {
  it('agrees with a sorted array through random inserts, deletes and walks from any key', () => {
    const next = random(7);
    const index = new SortedIndex<number>((a, b) => a - b, 4);
    const model = new Set<number>();
    for (let step = 0; step < 3000; step++) {
      const value = Math.floor(next() * 500);
      if (next() < 0.6) {
        if (!model.has(value)) {
          index.insert(value);
          model.add(value);
        }
      } else {
        expect(index.delete(value)).toBe(model.delete(value));
      }
      if (step % 50 === 0) {
        const sorted = [...model].sort((a, b) => a - b);
        const key = Math.floor(next() * 520) - 10;
        expect(index.size).toBe(sorted.length);
        expect([...index.ascending()]).toEqual(sorted);
        expect([...index.descending()]).toEqual([...sorted].reverse());
        expect([...index.ascending(key)]).toEqual(sorted.filter((v) => v > key));
        expect([...index.descending(key)]).toEqual(sorted.filter((v) => v < key).reverse());
        expect(index.first()).toBe(sorted[0]);
      }
    }
  });

  it('walks nothing when empty', () => {
    const index = new SortedIndex<number>((a, b) => a - b);
    expect([...index.ascending(3)]).toEqual([]);
    expect([...index.descending(3)]).toEqual([]);
    expect(index.delete(3)).toBe(false);
  });
});
