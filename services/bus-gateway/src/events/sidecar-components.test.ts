import { describe, expect, it } from "vitest";
import { parseGatewayFile, testPartner } from "../testing/test-file.js";
import { neededComponents, SidecarWatch } from "./sidecar-components.js";

const file = parseGatewayFile({
  partners: [
    testPartner("sms", ["order.created"]),
    { ...testPartner("crm-in", []), direction: "inbound" as const },
  ],
});
const needed = neededComponents(file);

describe("the gateway's sidecar components", () => {
  it("then the gateway needs both buses and its outbound partners' bindings, not inbound ones'", () => {
    expect(needed).toEqual(["acme-corporate-bus", "acme-internal-bus", "acme-partner-sms"]);
  });

  it.each([
    {
      what: "everything loaded",
      loaded: ["acme-internal-bus", "acme-corporate-bus", "acme-partner-sms", "other"],
      missing: [],
    },
    {
      what: "a bus missing",
      loaded: ["acme-corporate-bus", "acme-partner-sms"],
      missing: ["acme-internal-bus"],
    },
    { what: "nothing loaded", loaded: [], missing: needed },
  ])("with $what, then the report names $missing", async ({ loaded, missing }) => {
    const watch = new SidecarWatch(needed, async () => loaded);
    expect(await watch.check()).toEqual({
      reachable: true,
      neededComponents: needed,
      missingComponents: missing,
    });
  });

  it("when the sidecar is silent, then it is reported only after three reports in a row, and an answer resets the count", async () => {
    const answers: (string[] | undefined)[] = [undefined, undefined, needed, undefined, undefined];
    const watch = new SidecarWatch(needed, async () => answers.shift());
    expect(await watch.check()).toBeUndefined();
    expect(await watch.check()).toBeUndefined();
    expect(await watch.check()).toMatchObject({ reachable: true, missingComponents: [] });
    expect(await watch.check()).toBeUndefined();
    expect(await watch.check()).toBeUndefined();
    expect(await watch.check()).toEqual({
      reachable: false,
      neededComponents: needed,
      missingComponents: [],
    });
  });
});
