import { describe, expect, it } from "vitest";
import { runRepro } from "../../hack/daprd-http-channel-bug/repro.js";

// The daprd 1.18 HTTP-channel bug (docs/testbed.md, "Pitfalls met in Dapr"): with overlapping
// calls, a delivery that failed to reach the app can be reported as an empty 200 and
// acknowledged. The reproduction (hack/daprd-http-channel-bug) runs a real daprd and Redis
// with an app that goes away and comes back while messages flow. The two ways Symbiont takes
// deliveries must lose nothing there: one call at a time (modules, ordered Ecosystems) and
// bulk deliveries (the gateway when delivery is not ordered), where daprd reads a status
// per entry and takes an empty answer as RETRY.

describe("deliveries while the app goes away and comes back", () => {
  it.each(["single-1", "bulk"] as const)(
    "when deliveries are taken %s, then every message reaches the app",
    async (mode) => {
      const result = await runRepro(mode, { messages: 400, flaps: 6 });
      expect(result).toMatchObject({ published: 400, received: 400, lost: 0 });
    },
  );
});
