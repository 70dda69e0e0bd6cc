import { describe, expect, it } from "vitest";
import { checkQueue } from "../../dev/chaos/total-queue.js";

describe("the fault suite's total-queue check", () => {
  it("when every message is applied once in order, then nothing is lost, doubled or reordered", () => {
    expect(
      checkQueue(
        3,
        [0, 1, 2].map((n) => ({ n, duplicate: false })),
      ),
    ).toEqual({
      delivered: 3,
      lost: 0,
      duplicated: 0,
      redelivered: 0,
      reordered: 0,
    });
  });

  it("when a key comes again, a message comes under a second key, one is missing and one is late, then each is counted apart", () => {
    expect(
      checkQueue(5, [
        { n: 0, duplicate: false },
        { n: 2, duplicate: false },
        // Same key again: the partner ignored it.
        { n: 2, duplicate: true },
        // Message 1 after message 2.
        { n: 1, duplicate: false },
        // Message 2 under a new key: applied twice.
        { n: 2, duplicate: false },
      ]),
    ).toEqual({ delivered: 3, lost: 2, duplicated: 1, redelivered: 1, reordered: 1 });
  });
});
