import { describe, expect, it } from "vitest";
import { grpcMessageText } from "./binding-call.js";

describe("a sidecar's gRPC error message", () => {
  it("is percent-decoded, as gRPC sends it", () => {
    expect(
      grpcMessageText(
        "error invoking output binding sms: Post %22http://127.0.0.1:9/%22: dial tcp 127.0.0.1:9: connect: connection refused",
      ),
    ).toBe(
      'error invoking output binding sms: Post "http://127.0.0.1:9/": dial tcp 127.0.0.1:9: connect: connection refused',
    );
  });

  it("that does not decode is kept as it came, not thrown", () => {
    expect(grpcMessageText("50%% done %E0%A4%A")).toBe("50%% done %E0%A4%A");
  });
});
