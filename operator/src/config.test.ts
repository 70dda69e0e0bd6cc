import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { defaultGatewayImage } from "./controllers/ecosystem/desired-gateway.js";

describe("loadConfig", () => {
  it("when nothing is set, then defaults apply", () => {
    expect(loadConfig({})).toMatchObject({
      httpPort: 8080,
      topologyPort: 8081,
      leaderElection: true,
      workers: 8,
      lease: { name: "symbiont-operator", namespace: "default" },
      gatewayImage: defaultGatewayImage(),
    });
    expect(loadConfig({ SYMBIONT_GATEWAY_IMAGE: "mirror:5000/gw:1" }).gatewayImage).toBe(
      "mirror:5000/gw:1",
    );
  });

  it.each([
    [{ SYMBIONT_HTTP_PORT: "http" }, /SYMBIONT_HTTP_PORT/],
    [{ SYMBIONT_LEADER_ELECTION: "yes" }, /SYMBIONT_LEADER_ELECTION: must be true or false/],
    [{ SYMBIONT_WORKERS: "0" }, /SYMBIONT_WORKERS/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ SYMBIONT_TOPOLOGY_PORT: "70000" }, /SYMBIONT_TOPOLOGY_PORT/],
    [{ SYMBIONT_TOPOLOGY_ENABLED: "on" }, /SYMBIONT_TOPOLOGY_ENABLED: must be true or false/],
    [{ SYMBIONT_GATEWAY_IMAGE: "a b" }, /SYMBIONT_GATEWAY_IMAGE: must be an image reference/],
  ])("when %j, then it stops with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("when the topology page is turned off, then it has no port", () => {
    expect(loadConfig({ SYMBIONT_TOPOLOGY_ENABLED: "false" }).topologyPort).toBeUndefined();
    expect(loadConfig({ SYMBIONT_TOPOLOGY_PORT: "9000" }).topologyPort).toBe(9000);
  });
});
