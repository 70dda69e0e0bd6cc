/**
 * One writer per process: touchpoint batches, merges and unmerges run one after another,
 * so two of them never read the same key index state and both act on it. Concurrent
 * submissions are grouped into one batch (group commit). Several replicas stay correct
 * through the key index's unique ids (see resolveBatch).
 */
export class SerialQueue<Item, Result> {
  private tail: Promise<unknown> = Promise.resolve();
  private pending: Array<{
    item: Item;
    resolve: (r: Result) => void;
    reject: (e: unknown) => void;
  }> = [];
  private scheduled = false;

  constructor(
    private readonly runBatch: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  submitMany(items: Item[]): Promise<Result[]> {
    return Promise.all(items.map((item) => this.submit(item)));
  }

  /** Runs `task` alone, after what is already queued. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when everything queued so far is done. */
  async idle(): Promise<void> {
    while (this.pending.length > 0 || this.scheduled) await this.tail;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.tail = this.tail.then(async () => {
      this.scheduled = false;
      const batch = this.pending.splice(0, this.maxBatch);
      if (this.pending.length > 0) this.schedule();
      if (batch.length === 0) return;
      try {
        const results = await this.runBatch(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i]!));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    });
  }
}
