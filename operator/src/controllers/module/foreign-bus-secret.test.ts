import { describe, expect, it } from "vitest";
import { aModule, anEcosystem } from "../../testing/fixtures.js";
import { foreignBusSecret } from "./foreign-bus-secret.js";

// The fixture's internal bus reads Secret internal-bus, the corporate bus corporate-bus.
const ecosystem = anEcosystem();
const fromSecret = (name: string) => ({
  name: "BROKER",
  valueFrom: { secretKeyRef: { name, key: "password" } },
});

describe("foreignBusSecret", () => {
  it.each([
    [
      "a core module's env",
      aModule("crm", { env: [fromSecret("corporate-bus")] }),
      /spec\.env\[0\] \(BROKER\) reads Secret corporate-bus, the corporate bus's connection: a core module/,
    ],
    [
      "a core module's storage",
      aModule("crm", { storage: { secretRef: { name: "corporate-bus", key: "url" } } }),
      /spec\.storage\.secretRef reads Secret corporate-bus/,
    ],
    [
      "a front-office module's env",
      aModule("site", {
        tier: "front-office",
        env: [{ name: "A", value: "1" }, fromSecret("internal-bus")],
      }),
      /spec\.env\[1\] \(BROKER\) reads Secret internal-bus, the internal bus's connection: a front-office module connects only to the corporate bus/,
    ],
  ])(
    "when %s reads the other bus's Secret, then it is refused naming the field",
    (_what, module, message) => {
      expect(foreignBusSecret(module, ecosystem)).toMatch(message);
    },
  );

  it.each([
    ["its own bus's Secret", aModule("crm", { env: [fromSecret("internal-bus")] })],
    [
      "its database Secret",
      aModule("crm", { storage: { secretRef: { name: "crm-db", key: "url" } } }),
    ],
    ["nothing", aModule("site", { tier: "front-office" })],
  ])("when a module reads %s, then nothing is refused", (_what, module) => {
    expect(foreignBusSecret(module, ecosystem)).toBeUndefined();
  });
});
