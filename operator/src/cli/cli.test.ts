import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { aModule, aPartner, aRoute, anEcosystem } from "../testing/fixtures.js";
import { renderEcosystemStatus } from "./ecosystem-status.js";
import { callerAuthorization } from "./gateway-admin.js";
import { renderReplay } from "./gateway-views.js";
import { runCli } from "./kubectl-symbiont.js";
import { renderTable } from "./render-table.js";

const condition = (status: "True" | "False", reason: string, message: string) => ({
  conditions: [
    {
      type: "Ready",
      status,
      reason,
      message,
      lastTransitionTime: "2026-01-01T00:00:00Z",
    },
  ],
});

describe("kubectl symbiont status", () => {
  it("when modules are Ready or not, then they are listed by tier and only what is not Ready says why", () => {
    const text = renderEcosystemStatus(
      {
        ecosystems: [
          {
            ...anEcosystem(),
            status: { ...condition("True", "Ready", "ok"), modulesReady: "1/2" },
          },
        ],
        modules: [
          {
            ...aModule("site", { tier: "front-office", type: "site" }),
            status: condition("True", "Ready", "1/1 replicas are available"),
          },
          {
            ...aModule("crm", { type: "crm" }),
            status: condition("False", "ImagePullFailed", "pod crm-1 cannot pull image x"),
          },
        ],
        partners: [
          {
            ...aPartner("sms"),
            status: {
              ...condition("True", "Delivering", "ok"),
              delivery: { delivered: 5, deadLettered: 2, lastError: "HTTP 500" },
            },
          },
        ],
        routes: [aRoute("customers-out")],
      },
      "shop",
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("Ecosystem acme (namespace shop): Ready True (Ready)");
    expect(text).toContain("  modules: 1/2 Ready");
    const crm = lines.findIndex((l) => l.startsWith("core "));
    const site = lines.findIndex((l) => l.startsWith("front-office "));
    expect(crm).toBeGreaterThan(0);
    expect(site).toBeGreaterThan(crm);
    expect(lines[crm]).toMatch(
      /^core\s+crm\s+crm\s+\?\/1\s+False\s+ImagePullFailed\s+pod crm-1 cannot pull image x$/,
    );
    expect(lines[site]).toMatch(/^front-office\s+site\s+site\s+\?\/1\s+True\s+Ready$/);
    expect(text).toMatch(/sms\s+messaging\s+True\s+Delivering\s+5\s+0\s+0\s+2\s+HTTP 500/);
    expect(text).toMatch(
      /customers-out\s+customer\.created\s+export\s+Unknown\s+-\s+no status yet/,
    );
  });

  it("when modules name an Ecosystem that does not exist, then it says so", () => {
    const text = renderEcosystemStatus(
      { ecosystems: [], modules: [aModule("crm")], partners: [], routes: [] },
      "shop",
    );
    expect(text.split("\n")[0]).toBe(
      "Ecosystem acme (namespace shop): NOT FOUND; 1 object(s) name it",
    );
    expect(
      renderEcosystemStatus({ ecosystems: [], modules: [], partners: [], routes: [] }, "x"),
    ).toBe("No ecosystem in namespace x.");
  });
});

describe("the plugin's pieces", () => {
  it("then tables pad columns as kubectl does", () => {
    expect(
      renderTable(
        ["A", "LONGER"],
        [
          ["xyz", 1],
          ["q", ""],
        ],
      ),
    ).toBe(["A     LONGER", "xyz   1", "q"].join("\n"));
  });

  it("when the kubeconfig's user has a token, then the gateway gets it as a bearer token; --token wins", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:6443", skipTLSVerify: false }],
      users: [{ name: "u", token: "the-users-token" }],
      contexts: [{ name: "ctx", cluster: "c", user: "u" }],
      currentContext: "ctx",
    });
    expect(await callerAuthorization(kc)).toBe("Bearer the-users-token");
    expect(await callerAuthorization(kc, "other")).toBe("Bearer other");
  });

  it("when a replay leaves some dead, then it says which and why", () => {
    expect(
      renderReplay({
        replayed: 1,
        results: [
          { key: "a", result: "requeued" },
          { key: "b", result: "still-invalid", error: "schema: /id is required" },
        ],
      }),
    ).toBe("replayed 1 of 2 dead letter(s)\n  b: still-invalid: schema: /id is required");
  });

  it.each([
    [
      ["deadletters", "replay", "--gateway-url", "http://127.0.0.1:1"],
      /replay what\? name --partner, --kind or --key, or --all/,
    ],
    [
      ["deadletters", "list", "--kind", "bogus"],
      /--kind must be one of partner, export, import, inbound, drop, not bogus/,
    ],
    [["deadletters", "purge"], /deadletters needs list or replay, not purge/],
    [["trace"], /trace needs a message id/],
    [["status", "-o", "yaml"], /--output must be table or json, not yaml/],
    [["frobnicate"], /unknown command frobnicate/],
  ])("when run with %j, then it refuses: %s", async (argv, message) => {
    await expect(runCli(argv, {}, () => undefined)).rejects.toThrow(message);
  });

  it("when the gateway cannot be reached, then it says where it tried", async () => {
    await expect(
      runCli(
        ["deadletters", "list", "--gateway-url", "http://127.0.0.1:1", "--token", "t"],
        {},
        () => undefined,
      ),
    ).rejects.toThrow(/cannot reach the bus gateway at http:\/\/127\.0\.0\.1:1 .*port-forward/);
  });
});
