/** Called when a subscriber falls too far behind: its queue, and how many events it will not get (held, or not yet queued). */
export type Overflow<T> = (queue: LiveQueue<T>, undelivered: number) => void;

/**
 * An async iterator fed by push(): what a subscription hands to the GraphQL executor. It never
 * blocks the producer, holds at most `limit` undelivered items (then `onOverflow` runs and the
 * iterator fails), and frees everything as soon as the consumer returns, even while a next() waits.
 * A failure is reported once, by one rejected next(); the iterator is finished after it, as an
 * async generator is after a throw (a consumer that turns the rejection into a result and asks
 * again gets the end, not the same failure forever).
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private ended = false;
  private failure: { error: unknown; reported: boolean } | null = null;
  private readonly cleanups: (() => void)[] = [];
  private roomWaiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly limit: number,
    /** Runs when an item finds the queue full, with the number of items then lost (those held, and that one). */
    private readonly onOverflow: (undelivered: number) => void,
  ) {}

  /** Runs when the queue ends, whoever ends it. */
  onEnd(cleanup: () => void): void {
    if (this.ended) cleanup();
    else this.cleanups.push(cleanup);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Items pushed and not yet taken by the consumer. */
  get pending(): number {
    return this.items.length;
  }

  /** Resolves once fewer than `count` items wait for the consumer (or the queue has ended). */
  waitForRoom(count: number): Promise<void> {
    if (this.items.length < count || this.ended) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ count, resolve }));
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit) {
      this.onOverflow(this.items.length + 1);
      return;
    }
    this.items.push(item);
  }

  /** Delivers what is queued, then completes. */
  end(): void {
    if (this.ended) return;
    this.finish();
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
  }

  /** Drops what is queued and fails the consumer with `error`. */
  fail(error: unknown): void {
    if (this.failure !== null) return;
    this.failure = { error, reported: false };
    this.items.length = 0;
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.clearWaiting();
      this.failure.reported = true;
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      this.wakeRoomWaiters();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.failure !== null && !this.failure.reported) {
      this.failure.reported = true;
      return Promise.reject(this.failure.error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.finish();
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.fail(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0) return;
    const still: typeof this.roomWaiters = [];
    for (const waiter of this.roomWaiters) {
      if (this.ended || this.items.length < waiter.count) waiter.resolve();
      else still.push(waiter);
    }
    this.roomWaiters = still;
  }

  private clearWaiting(): void {
    this.waiting = null;
    this.failWaiting = null;
  }
}
