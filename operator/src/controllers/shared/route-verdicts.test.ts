import { describe, expect, it } from "vitest";
import { aModule, anEcosystem, aPartner, aRoute } from "../../testing/fixtures.js";
import { routeVerdicts, validRoutes } from "./route-verdicts.js";

const modules = [
  aModule("crm", { publishes: [{ topic: "customer.created" }] }),
  aModule("site", { tier: "front-office", publishes: [{ topic: "touchpoint.recorded" }] }),
];
const partners = [
  aPartner("sso", {
    direction: "inbound",
    produces: ["sso.login"],
    auth: { type: "hmac", secretRef: { name: "s", key: "k" } },
  }),
];
const verdict = (route: ReturnType<typeof aRoute>, ecosystem = anEcosystem(), routes = [route]) =>
  routeVerdicts({ ecosystem, routes, modules, partners }).get(route.metadata.name)!;

describe("routeVerdicts", () => {
  it.each([
    { what: "an export of a topic a core module publishes", route: aRoute("r"), reason: "Routed" },
    {
      what: "an import of a topic a corporate module publishes",
      route: aRoute("r", { topic: "touchpoint.recorded", direction: "import" }),
      reason: "Routed",
    },
    {
      what: "an import of a topic a partner produces",
      route: aRoute("r", { topic: "sso.login", direction: "import" }),
      reason: "Routed",
    },
    {
      what: "an export nobody in the core publishes",
      route: aRoute("r", { topic: "touchpoint.recorded" }),
      reason: "TopicNotPublished",
    },
    {
      what: "an import nobody outside publishes",
      route: aRoute("r", { topic: "customer.created", direction: "import" }),
      reason: "TopicNotPublished",
    },
    {
      what: "a schema that is not JSON Schema",
      route: aRoute("r", { schema: { type: "objekt" } }),
      reason: "InvalidSchema",
    },
    {
      what: "a 2020-12 schema (closed with unevaluatedProperties)",
      route: aRoute("r", {
        schema: {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          unevaluatedProperties: false,
        },
      }),
      reason: "Routed",
    },
    {
      what: "a draft-07 schema",
      route: aRoute("r", {
        schema: { $schema: "http://json-schema.org/draft-07/schema#", type: "object" },
      }),
      reason: "Routed",
    },
    {
      what: "a draft-07 schema with a keyword draft-07 does not have",
      route: aRoute("r", {
        schema: {
          $schema: "http://json-schema.org/draft-07/schema#",
          type: "object",
          unevaluatedProperties: false,
        },
      }),
      reason: "InvalidSchema",
    },
    {
      what: "signing without an ecosystem key",
      route: aRoute("r", { sign: true }),
      reason: "SigningKeyMissing",
    },
  ])("$what -> $reason", ({ route, reason }) => {
    expect(verdict(route).reason).toBe(reason);
    expect(verdict(route).status).toBe(reason === "Routed" ? "True" : "False");
  });

  it("when a schema does not compile, then the message is the compiler's, as the gateway would see it", () => {
    const route = aRoute("r", { schema: { type: "object", requried: ["id"] } });
    expect(verdict(route).message).toBe(
      'spec.schema is not a valid JSON Schema: strict mode: unknown keyword: "requried"',
    );
  });

  it("when the Ecosystem is missing, then EcosystemNotFound", () => {
    expect(
      routeVerdicts({ ecosystem: undefined, routes: [aRoute("r")], modules, partners }).get("r")
        ?.reason,
    ).toBe("EcosystemNotFound");
  });

  it("when two routes carry the same topic the same way, then the newer one is the duplicate and only the older reaches the gateway", () => {
    const old = aRoute("old", {}, "2026-01-01T00:00:00Z");
    const late = aRoute("late", {}, "2026-01-02T00:00:00Z");
    const verdicts = routeVerdicts({
      ecosystem: anEcosystem(),
      routes: [late, old],
      modules,
      partners,
    });
    expect(verdicts.get("old")?.reason).toBe("Routed");
    expect(verdicts.get("late")).toMatchObject({
      reason: "DuplicateRoute",
      message: expect.stringContaining("BusRoute old already exports customer.created"),
    });
    expect(
      validRoutes({ ecosystem: anEcosystem(), routes: [late, old], modules, partners }).map(
        (r) => r.metadata.name,
      ),
    ).toEqual(["old"]);
  });
});
