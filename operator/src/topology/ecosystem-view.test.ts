import { describe, expect, it } from "vitest";
import { aModule, aPartner, aRoute, anEcosystem } from "../testing/fixtures.js";
import { ecosystemViews } from "./ecosystem-view.js";

const ready = (status: "True" | "False", reason: string, message: string, type = "Ready") => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: "2026-01-01T00:00:00Z",
});

const inNamespace = <T extends { metadata: { namespace?: string } }>(namespace: string, o: T) => ({
  ...o,
  metadata: { ...o.metadata, namespace },
});

describe("the ecosystem view", () => {
  it("when modules of every tier exist, then they come core, servicing, front-office, by name within a tier", () => {
    const [view] = ecosystemViews({
      ecosystems: [anEcosystem()],
      modules: [
        aModule("site", { tier: "front-office", type: "site" }),
        aModule("processes", { tier: "servicing", type: "processes" }),
        aModule("mdm", { type: "mdm" }),
        aModule("crm", { type: "crm" }),
      ],
      partners: [],
      routes: [],
    });
    expect(view!.modules.map((m) => `${m.tier}/${m.name}`)).toEqual([
      "core/crm",
      "core/mdm",
      "servicing/processes",
      "front-office/site",
    ]);
  });

  it("when a module is not Ready, then its reason and message are kept; a Ready one has no message", () => {
    const [view] = ecosystemViews({
      ecosystems: [anEcosystem()],
      modules: [
        {
          ...aModule("crm"),
          status: {
            conditions: [ready("False", "ImagePullFailed", "pod crm-1 cannot pull image x")],
            replicasReady: "0/1",
            deadLetters: 3,
          },
        },
        {
          ...aModule("mdm"),
          status: { conditions: [ready("True", "Ready", "1/1 replicas are available")] },
        },
        aModule("files"),
      ],
      partners: [],
      routes: [],
    });
    expect(view!.modules).toEqual([
      {
        name: "crm",
        tier: "core",
        type: "custom",
        replicas: "0/1",
        ready: {
          status: "False",
          reason: "ImagePullFailed",
          message: "pod crm-1 cannot pull image x",
        },
        deadLetters: 3,
      },
      {
        name: "files",
        tier: "core",
        type: "custom",
        replicas: "?/1",
        ready: { status: "Unknown", reason: "-", message: "no status yet" },
        deadLetters: 0,
      },
      {
        name: "mdm",
        tier: "core",
        type: "custom",
        replicas: "?/1",
        ready: { status: "True", reason: "Ready", message: "" },
        deadLetters: 0,
      },
    ]);
  });

  it("when partners report deliveries, then the gateway sums them and counts the dead letters it holds", () => {
    const ecosystem = {
      ...anEcosystem(),
      status: {
        gatewayAppId: "acme-bus-gateway",
        internalBusComponent: "acme-internal",
        corporateBusComponent: "acme-corporate",
        conditions: [
          ready("True", "Ready", "ok"),
          ready("True", "Available", "1/1 replicas available", "GatewayAvailable"),
          ready("False", "ComponentFailed", "redis refused", "BusesConfigured"),
        ],
        deadLetters: [
          { kind: "partner" as const, target: "sms", topic: "notification.sms", count: 2 },
          { kind: "drop" as const, target: "acme-internal", topic: "customer.created", count: 1 },
        ],
      },
    };
    const partner = (name: string, delivered: number, buffered: number) => ({
      ...aPartner(name),
      status: { delivery: { delivered, buffered, deadLettered: 1, lastError: "HTTP 500" } },
    });
    const [view] = ecosystemViews({
      ecosystems: [ecosystem],
      modules: [],
      partners: [partner("sms", 5, 2), partner("mail", 7, 0)],
      routes: [{ ...aRoute("customers-out"), status: { deadLetters: 4 } }],
    });
    expect(view!.gateway).toEqual({
      appId: "acme-bus-gateway",
      available: {
        type: "GatewayAvailable",
        status: "True",
        reason: "Available",
        message: "1/1 replicas available",
      },
      delivered: 12,
      buffered: 2,
      deadLetters: 3,
    });
    expect(view!.buses).toEqual({
      internal: { type: "redis", component: "acme-internal" },
      corporate: { type: "rabbitmq", component: "acme-corporate" },
      configured: {
        type: "BusesConfigured",
        status: "False",
        reason: "ComponentFailed",
        message: "redis refused",
      },
    });
    expect(view!.partners.map((p) => p.name)).toEqual(["mail", "sms"]);
    expect(view!.routes[0]!.deadLetters).toBe(4);
  });

  it("when ecosystems of the same name live in two namespaces, then each gets its own objects", () => {
    const views = ecosystemViews({
      ecosystems: [inNamespace("b", anEcosystem()), inNamespace("a", anEcosystem())],
      modules: [inNamespace("a", aModule("crm")), inNamespace("b", aModule("site"))],
      partners: [],
      routes: [],
    });
    expect(views.map((v) => [v.namespace, v.name, v.modules.map((m) => m.name)])).toEqual([
      ["a", "acme", ["crm"]],
      ["b", "acme", ["site"]],
    ]);
  });

  it("when only modules name an ecosystem, then it is NotFound and says how many objects name it", () => {
    const [view] = ecosystemViews({
      ecosystems: [],
      modules: [aModule("crm")],
      partners: [aPartner("sms")],
      routes: [],
    });
    expect(view).toMatchObject({
      found: false,
      ready: { status: "False", reason: "NotFound", message: "2 object(s) name it" },
    });
  });

  it("when a partner's spec holds an endpoint and a Secret reference, then the view carries neither", () => {
    const views = ecosystemViews({
      ecosystems: [anEcosystem()],
      modules: [
        aModule("crm", {
          env: [{ name: "API_KEY", value: "module-env-value" }],
          storage: { secretRef: { name: "crm-db-secret", key: "url" } },
        }),
      ],
      partners: [
        aPartner("sms", {
          endpoint: "https://user:hunter2@sms.example.com/hooks",
          auth: { type: "bearer", secretRef: { name: "sms-token-secret", key: "token" } },
        }),
      ],
      routes: [],
    });
    const text = JSON.stringify(views);
    for (const secret of [
      "hunter2",
      "sms.example.com",
      "sms-token-secret",
      "internal-bus",
      "crm-db-secret",
      "module-env-value",
    ])
      expect(text).not.toContain(secret);
  });

  it("then two calls with the same objects give equal views", () => {
    const objects = {
      ecosystems: [anEcosystem()],
      modules: [aModule("crm")],
      partners: [aPartner("sms")],
      routes: [aRoute("r")],
    };
    expect(ecosystemViews(objects)).toEqual(ecosystemViews(objects));
  });
});
