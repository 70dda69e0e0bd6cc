import { describe, expect, it } from "vitest";
import { backoffDelay } from "@symbiont/contracts";
import { CircuitBreaker } from "./circuit-breaker.js";
import { afterAttempt, classifyStatus } from "./delivery-outcome.js";

const policy = { maxAttempts: 3, backoffInitialMs: 100, backoffMaxMs: 1_000, bufferTtlMs: 10_000 };

describe("backoff", () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [60, 1_000],
  ])("when it is retry %i, then the wait is %i ms", (attempt, expected) => {
    expect(backoffDelay(attempt, 100, 1_000)).toBe(expected);
  });
});

describe("the circuit breaker", () => {
  it("when failures reach the threshold, then it opens, waits out the backoff and closes on success", () => {
    const circuit = new CircuitBreaker({ threshold: 3, initialMs: 100, maxMs: 1_000 });
    expect(circuit.recordFailure(0)).toBe(false);
    expect(circuit.recordFailure(0)).toBe(false);
    expect(circuit.state).toBe("closed");
    expect(circuit.recordFailure(1_000)).toBe(true);
    expect(circuit.state).toBe("open");
    expect(circuit.allows(1_399)).toBe(false);
    expect(circuit.allows(1_400)).toBe(true);
    expect(circuit.recordSuccess()).toBe(true);
    expect(circuit.state).toBe("closed");
    expect(circuit.allows(0)).toBe(true);
  });
});

describe("a delivery attempt's outcome", () => {
  it.each([
    [200, "delivered"],
    [204, "delivered"],
    [400, "rejected"],
    [422, "rejected"],
    [408, "transport"],
    [429, "transport"],
    [500, "transport"],
    [503, "transport"],
  ])("when the partner answers %i, then it counts as %s", (status, kind) => {
    expect(classifyStatus(status).kind).toBe(kind);
  });

  it("when a rejected message runs out of attempts, then it is dead-lettered with the reason", () => {
    const change = afterAttempt(
      { attempts: 2, acceptedAt: 0 },
      { kind: "rejected", error: "HTTP 400" },
      policy,
      10,
      false,
    );
    expect(change.state).toBe("dead-lettered");
    expect(change.lastError).toMatch(/HTTP 400; 3 attempts/);
  });

  it("when the circuit is open, then a failed probe keeps the message buffered whatever its attempts", () => {
    const change = afterAttempt(
      { attempts: 9, acceptedAt: 0 },
      { kind: "transport", error: "connection refused" },
      policy,
      10,
      true,
    );
    expect(change).toMatchObject({
      state: "buffered",
      attempts: 10,
      lastError: "connection refused",
    });
  });

  it("when the partner keeps failing before the circuit opens, then the message is kept for retry past maxAttempts", () => {
    const change = afterAttempt(
      { attempts: 5, acceptedAt: 0 },
      { kind: "transport", error: "HTTP 503" },
      policy,
      10,
      false,
    );
    expect(change).toMatchObject({ state: "retrying", attempts: 6 });
  });

  it("when the buffer TTL has passed, then the message is dead-lettered", () => {
    const change = afterAttempt(
      { attempts: 0, acceptedAt: 0 },
      { kind: "transport", error: "connection refused" },
      policy,
      10_000,
      true,
    );
    expect(change.state).toBe("dead-lettered");
    expect(change.lastError).toMatch(/buffer TTL/);
  });

  it("when a retry is scheduled, then it follows the backoff", () => {
    const change = afterAttempt(
      { attempts: 1, acceptedAt: 0 },
      { kind: "transport", error: "HTTP 500" },
      policy,
      50,
      false,
    );
    expect(change).toMatchObject({ state: "retrying", attempts: 2, nextAttemptAt: 250 });
  });
});
