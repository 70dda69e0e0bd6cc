import { redeliverySpecSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { filterOf } from "./redelivery-filter.js";

describe("a Redelivery's selector as a dead-letter filter", () => {
  it.each([
    { selector: { all: true }, filter: {} },
    { selector: { partner: "sms", topic: "a.b" }, filter: { partner: "sms", topic: "a.b" } },
    { selector: { kind: "drop", reason: "503" }, filter: { kind: "drop", reason: "503" } },
    {
      selector: { since: "2026-03-01T08:00:00Z", until: "2026-03-01T09:00:00+01:00" },
      filter: { sinceMs: Date.UTC(2026, 2, 1, 8), untilMs: Date.UTC(2026, 2, 1, 8) },
    },
  ])("when the selector is $selector, then the filter is $filter", ({ selector, filter }) => {
    const spec = redeliverySpecSchema.parse({ ecosystemRef: { name: "acme" }, selector });
    expect(filterOf(spec)).toEqual(filter);
  });
});
