import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GroupCommit } from "./group-commit.js";

/** A group commit whose flushes are kept, each answering its items doubled. */
function recording() {
  const flushes: number[][] = [];
  const commit = new GroupCommit<number, number>({
    flush: async (batch) => {
      flushes.push([...batch]);
      return batch.map((item) => item * 2);
    },
    maxBatch: 4,
  });
  return { commit, flushes };
}

describe("group commit", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("writes an item at once and answers each caller its own result", async () => {
    const { commit, flushes } = recording();
    const results = commit.submitAll([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await results).toEqual([2, 4, 6]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it("lets lingering items wait for company: items handed over one by one share one write", async () => {
    const { commit, flushes } = recording();
    const first = commit.submit(1, 20);
    await vi.advanceTimersByTimeAsync(5);
    const second = commit.submit(2, 20);
    await vi.advanceTimersByTimeAsync(5);
    expect(flushes).toEqual([]);
    await vi.advanceTimersByTimeAsync(15);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    // The first item's linger set the time: the second did not extend it.
    expect(flushes).toEqual([[1, 2]]);
  });

  it("an item that must be durable at once takes the lingering ones with it", async () => {
    const { commit, flushes } = recording();
    const lingering = commit.submit(1, 1_000);
    const urgent = commit.submit(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(await Promise.all([lingering, urgent])).toEqual([2, 4]);
    expect(flushes).toEqual([[1, 2]]);
    // Nothing is written again when the linger would have run out.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(flushes).toHaveLength(1);
  });

  it("a full batch does not wait for its linger", async () => {
    const { commit, flushes } = recording();
    const items = [1, 2, 3, 4].map((item) => commit.submit(item, 1_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(await Promise.all(items)).toEqual([2, 4, 6, 8]);
    expect(flushes).toEqual([[1, 2, 3, 4]]);
  });

  it("drained waits for lingering items to be written", async () => {
    const { commit, flushes } = recording();
    void commit.submit(1, 50);
    let drained = false;
    void commit.drained().then(() => (drained = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(drained).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    expect(drained).toBe(true);
    expect(flushes).toEqual([[1]]);
  });

  it("a failed write rejects every caller of its batch, and the next items are written", async () => {
    let fail = true;
    const commit = new GroupCommit<number, number>({
      flush: async (batch) => {
        if (fail) throw new Error("database down");
        return batch;
      },
    });
    const failed = commit.submitAll([1, 2], 10);
    const caught = failed.catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(11);
    expect(await caught).toBe("database down");
    fail = false;
    const next = commit.submit(3, 10);
    await vi.advanceTimersByTimeAsync(11);
    expect(await next).toBe(3);
  });
});
