// Group commit: callers hand over items and wait; one flush writes everything that
// arrived while the previous flush was in flight. Latency stays one write when idle, and
// under load many messages share one database round trip (FerretDB v1 pays a transaction
// per write, not per byte). Every caller learns its own item's result.
// An item that need not be durable at once (a delivery's outcome: the partner already has
// the message, and a crash before the record lands only sends it again under the same
// Idempotency-Key) may linger: it waits up to `lingerMs` for company instead of starting a
// write of its own, so a partner taking one message at a time does not cost one write each.

export interface GroupCommitOptions<T, R> {
  flush: (batch: T[]) => Promise<R[]>;
  maxBatch?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  #queue: Array<Waiting<T, R>> = [];
  #flushing = false;
  #lingering: ReturnType<typeof setTimeout> | undefined;
  #idle: Array<() => void> = [];
  readonly #flush: (batch: T[]) => Promise<R[]>;
  readonly #maxBatch: number;

  constructor(options: GroupCommitOptions<T, R>) {
    this.#flush = options.flush;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Resolves once the item is written; with `lingerMs`, the write may wait that long. */
  submit(item: T, lingerMs = 0): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#flushing) return;
      if (lingerMs <= 0 || this.#queue.length >= this.#maxBatch) void this.#run();
      else this.#lingering ??= setTimeout(() => void this.#run(), lingerMs);
    });
  }

  submitAll(items: readonly T[], lingerMs = 0): Promise<R[]> {
    return Promise.all(items.map((item) => this.submit(item, lingerMs)));
  }

  /** Resolves when nothing is queued or being written. */
  drained(): Promise<void> {
    if (!this.#flushing && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #run(): Promise<void> {
    if (this.#flushing) return;
    clearTimeout(this.#lingering);
    this.#lingering = undefined;
    this.#flushing = true;
    // Let the callers of this tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const results = await this.#flush(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => waiting.resolve(results[index] as R));
      } catch (error) {
        batch.forEach((waiting) => waiting.reject(error));
      }
    }
    this.#flushing = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
