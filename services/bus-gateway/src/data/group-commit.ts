// Group commit: callers hand over items and wait; one flush writes everything that
// arrived while the previous flush was in flight. Latency stays one write when idle, and
// under load many messages share one database round trip (FerretDB v1 pays a transaction
// per write, not per byte). Every caller learns its own item's result.

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
  #idle: Array<() => void> = [];
  readonly #flush: (batch: T[]) => Promise<R[]>;
  readonly #maxBatch: number;

  constructor(options: GroupCommitOptions<T, R>) {
    this.#flush = options.flush;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#flushing) void this.#run();
    });
  }

  submitAll(items: readonly T[]): Promise<R[]> {
    return Promise.all(items.map((item) => this.submit(item)));
  }

  /** Resolves when nothing is queued or being written. */
  drained(): Promise<void> {
    if (!this.#flushing && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #run(): Promise<void> {
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
