/**
 * A sorted list kept as a list of sorted chunks: insert and delete cost O(log n + chunk size) with
 * no tree rebalancing, and iteration from any position is a binary search and then a walk.
 * Items must be unique under `compare`, and an item's sort key must not change while it is held
 * (delete it, change it, insert it again).
 */
export class SortedIndex<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly chunkSize = 512,
  ) {}

  get size(): number {
    return this.count;
  }

  insert(item: T): void {
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    if (!chunk) {
      this.chunks.push([item]);
    } else {
      chunk.splice(bisect(chunk, item, this.compare, false), 0, item);
      if (chunk.length > this.chunkSize * 2) this.chunks.splice(c + 1, 0, chunk.splice(this.chunkSize));
    }
    this.count += 1;
  }

  /** Removes the item equal to `item` under `compare`; returns whether one was there. */
  delete(item: T): boolean {
    const c = this.chunkFor(item);
    const chunk = this.chunks[c];
    if (!chunk) return false;
    const i = bisect(chunk, item, this.compare, false);
    if (i >= chunk.length || this.compare(chunk[i] as T, item) !== 0) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
    this.count -= 1;
    return true;
  }

  first(): T | undefined {
    return this.chunks[0]?.[0];
  }

  /** Items in ascending order, starting strictly after `key` (from the start without one). */
  *ascending(key?: T): Generator<T> {
    let c = key === undefined ? 0 : this.chunkFor(key, true);
    let i = key === undefined ? 0 : bisect(this.chunks[c] ?? [], key, this.compare, true);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c] as T[];
      for (; i < chunk.length; i++) yield chunk[i] as T;
    }
  }

  /** Items in descending order, starting strictly before `key` (from the end without one). */
  *descending(key?: T): Generator<T> {
    let c = key === undefined ? this.chunks.length - 1 : Math.min(this.chunkFor(key), this.chunks.length - 1);
    let i = key === undefined ? (this.chunks[c]?.length ?? 0) - 1 : bisect(this.chunks[c] ?? [], key, this.compare, false) - 1;
    while (c >= 0) {
      const chunk = this.chunks[c] as T[];
      for (; i >= 0; i--) yield chunk[i] as T;
      c -= 1;
      i = (this.chunks[c]?.length ?? 0) - 1;
    }
  }

  /** The chunk where `item` belongs: the first whose last item is >= item (> item when `after`). */
  private chunkFor(item: T, after = false): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as T[];
      const order = this.compare(chunk[chunk.length - 1] as T, item);
      if (order < 0 || (after && order === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First index whose item is >= item (> item when `after`). */
export function bisect<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number, after: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compare(list[mid] as T, item);
    if (order < 0 || (after && order === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
