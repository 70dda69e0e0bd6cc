import { describe, expect, it } from "vitest";
import { parseReplayRequest } from "./replay-request.js";

describe("parseReplayRequest", () => {
  it.each([
    ["all", {}],
    ["partner=sms", { partner: "sms" }],
    ["kind=drop", { kind: "drop" }],
    [" partner=sms, kind=partner ", { partner: "sms", kind: "partner" }],
  ])("when the annotation says %j, then it selects %j", (value, request) => {
    expect(parseReplayRequest(value)).toEqual({ ok: true, request });
  });

  it.each(["", "everything", "kind=lost", "partner=", "partner=a=b", "topic=x", "all,kind=drop"])(
    "when the annotation says %j, then it is refused with what to write",
    (value) => {
      const parsed = parseReplayRequest(value);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.error).toContain(
        "write all, partner=<name>, kind=<partner|export|import|inbound|drop>",
      );
    },
  );
});
