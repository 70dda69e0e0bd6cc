import { describe, expect, it } from "vitest";
import { activeEndpoints, endpointsAnnotation, endpointsOf } from "./gateway-lease.js";

describe("the gateway's Lease", () => {
  it("when the active replica writes its endpoints, then a standby reads the same back", () => {
    const written = endpointsOf("10.1.2.3", { http: 3000, webhooks: 8080, admin: 9443 });
    expect(written).toEqual({
      http: "http://10.1.2.3:3000",
      webhooks: "http://10.1.2.3:8080",
      admin: "http://10.1.2.3:9443",
    });
    expect(
      activeEndpoints({
        identity: "gw-1",
        annotations: { [endpointsAnnotation]: JSON.stringify(written) },
      }),
    ).toEqual(written);
  });

  it("when the pod's address is IPv6, then it is bracketed in the URLs", () => {
    expect(endpointsOf("fd00::5", { http: 1, webhooks: 2, admin: 3 }).http).toBe(
      "http://[fd00::5]:1",
    );
  });

  it.each([
    ["no holder", undefined],
    ["a holder that wrote no endpoints", { identity: "gw-1", annotations: {} }],
    [
      "endpoints that are not JSON",
      { identity: "gw-1", annotations: { [endpointsAnnotation]: "{" } },
    ],
    [
      "endpoints that are not URLs",
      {
        identity: "gw-1",
        annotations: {
          [endpointsAnnotation]: JSON.stringify({ http: "x", webhooks: "y", admin: "z" }),
        },
      },
    ],
  ])("when the Lease has %s, then there is no active replica to pass calls to", (_, leader) => {
    expect(activeEndpoints(leader)).toBeUndefined();
  });
});
