import { afterEach, describe, expect, it, vi } from "vitest";
import { LongTimers } from "./long-timers.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("the engine's timers", () => {
  it("when a timer is set 40 days ahead, then it fires then and not before", () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T00:00:00Z") });
    const timers = new LongTimers();
    const fired = vi.fn();
    timers.register("owner").setTimeout(fired, 40 * 86_400_000, "arg");
    vi.advanceTimersByTime(40 * 86_400_000 - 1);
    expect(fired).not.toHaveBeenCalled();
    expect(timers.executing).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledWith("arg");
    expect(timers.executing).toHaveLength(0);
  });

  it("when a timer is cleared, then it never fires", () => {
    vi.useFakeTimers();
    const timers = new LongTimers();
    const fired = vi.fn();
    const ref = timers.setTimeout(fired, 3 * 86_400_000);
    vi.advanceTimersByTime(86_400_000);
    timers.clearTimeout(ref);
    vi.advanceTimersByTime(5 * 86_400_000);
    expect(fired).not.toHaveBeenCalled();
    expect(timers.executing).toEqual([]);
  });
});
