import { describe, expect, it } from "vitest";
import { SerialQueue } from "./serial-queue.js";

describe("SerialQueue", () => {
  it("when items are submitted together, then they are handled in batches of at most the limit, in order", async () => {
    const batches: number[][] = [];
    const queue = new SerialQueue<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    }, 3);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.submit(n)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("when a batch fails, then only its submitters see the error and the queue goes on", async () => {
    const queue = new SerialQueue<number, number>(async (items) => {
      if (items.includes(1)) throw new Error("boom");
      return items;
    }, 1);
    const first = queue.submit(1);
    const second = queue.submit(2);
    await expect(first).rejects.toThrow("boom");
    await expect(second).resolves.toBe(2);
  });

  it("when an exclusive task is queued, then it runs after the batches already queued", async () => {
    const order: string[] = [];
    const queue = new SerialQueue<string, string>(async (items) => {
      order.push(...items);
      return items;
    }, 10);
    const submitted = queue.submit("batch");
    await queue.exclusive(async () => order.push("exclusive"));
    await submitted;
    expect(order).toEqual(["batch", "exclusive"]);
  });
});
