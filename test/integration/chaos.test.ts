import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  reportTable,
  runScenario,
  scenarios,
  shortDurations,
  startChaosStack,
  type ChaosStack,
  type Tally,
} from "../../dev/chaos/fault-suite.js";

// The fault suite's short version (seconds per fault; `make chaos` runs the long one, and
// S9, a graceful restart, too slow for `make test`): on
// the real stack, each fault during a stream of numbered messages, then the total-queue
// check. S3b (RabbitMQ) runs in `make chaos` only: it loses a message to a Dapr defect
// (RELIABILITY.md); S8 is chaos-operator.test.ts. Every message reaches the partner, none is applied twice, every poison message is
// a recorded dead letter, and the ledger's audit adds up.

describe("the fault suite, short", () => {
  let stack: ChaosStack;
  const tallies: Tally[] = [];

  beforeAll(async () => {
    stack = await startChaosStack();
  }, 180_000);

  afterAll(async () => {
    if (tallies.length > 0) console.log(reportTable(tallies));
    await stack?.stop();
  });

  for (const scenario of scenarios.filter((s) => !s.longOnly))
    it(`${scenario.id}: when ${scenario.title(shortDurations)}, then nothing is lost and nothing applied twice`, async () => {
      const tally = await runScenario(stack, scenario, shortDurations);
      tallies.push(tally);
      expect({
        lost: tally.lost,
        duplicated: tally.duplicated,
        auditProblems: tally.auditProblems,
      }).toEqual({ lost: 0, duplicated: 0, auditProblems: [] });
      expect(tally.delivered).toBe(tally.sent);
      if (tally.poison) expect(tally.poison.recorded).toBe(tally.poison.sent);
    }, 400_000);
});
