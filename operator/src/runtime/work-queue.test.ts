import { describe, expect, it } from "vitest";
import { WorkQueue } from "./work-queue.js";

describe("WorkQueue", () => {
  it("when a key is added many times before processing, then it is processed once", async () => {
    const queue = new WorkQueue();
    for (let i = 0; i < 5; i++) queue.add("ns/a");
    queue.add("ns/b");
    expect(queue.depth()).toBe(2);
    expect(await queue.get()).toBe("ns/a");
    expect(await queue.get()).toBe("ns/b");
    expect(queue.depth()).toBe(0);
  });

  it("when a key is added while it is processed, then it is handed out again only after done()", async () => {
    const queue = new WorkQueue();
    queue.add("k");
    const key = await queue.get();
    queue.add("k");
    expect(queue.depth()).toBe(0);
    queue.done(key!);
    expect(queue.depth()).toBe(1);
    expect(await queue.get()).toBe("k");
  });

  it("when a worker waits, then an added key reaches it directly", async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.add("k");
    expect(await waiting).toBe("k");
  });

  it("when a key keeps failing, then its delay doubles up to the cap, and forget() resets it", () => {
    const queue = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 50 });
    const delays = [1, 2, 3, 4, 5].map(() => queue.addRateLimited("k"));
    expect(delays).toEqual([10, 20, 40, 50, 50]);
    queue.forget("k");
    expect(queue.addRateLimited("k")).toBe(10);
    queue.shutdown();
  });

  it("when the queue shuts down, then waiting workers get undefined", async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.shutdown();
    expect(await waiting).toBeUndefined();
  });
});

describe("Controller", () => {
  it("when it is not running (a standby), then it queues nothing; once running, it reconciles what is enqueued", async () => {
    const { Controller } = await import("./controller.js");
    const { OperatorMetrics } = await import("../metrics/operator-metrics.js");
    const { pino } = await import("pino");
    const seen: string[] = [];
    const controller = new Controller({
      kind: "Test",
      reconcile: async (key) => (seen.push(key), {}),
      onError: async () => undefined,
      logger: pino({ level: "silent" }),
      metrics: new OperatorMetrics(),
    });
    controller.enqueue("ns/a");
    expect(controller.queue.depth()).toBe(0);
    const stop = new AbortController();
    const running = controller.run(stop.signal);
    controller.enqueue("ns/b");
    await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await running;
    expect(seen).toEqual(["ns/b"]);
  });
});
