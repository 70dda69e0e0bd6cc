import { join } from "node:path";
import { compileJsonSchema, type RedactRule } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import type { BusRouteSpec } from "../../operator/src/api/bus-route.types.js";
import { redactPayload } from "../../services/bus-gateway/src/domain/redact-payload.js";
import type { MergeRecord } from "../../services/crm/src/domain/profile.js";
import {
  emptyProfile,
  withAbsorbed,
  withTouchpoints,
} from "../../services/crm/src/domain/profile-changes.js";
import { ssoLoginSchema } from "../../services/crm/src/domain/sso-login.js";
import { toTouchpoint } from "../../services/crm/src/domain/to-touchpoint.js";
import { touchpointInputSchema } from "../../services/crm/src/domain/touchpoint.js";
import {
  customerCreated,
  customerMerged,
  customerUpdated,
} from "../../services/crm/src/events/crm-topics.js";
import { itemFieldsSchema } from "../../services/mdm/src/domain/item.js";
import { itemChanged } from "../../services/mdm/src/events/mdm-topics.js";

// The samples' BusRoutes take what the real services publish: payloads built by MDM's and
// CRM's own functions pass the routes' schemas (compiled as the operator and the gateway
// compile them), and redaction removes the personal data these payloads really carry.

const routes = new Map(
  readManifests(join(repoRoot, "samples"))
    .filter((o) => o.kind === "BusRoute")
    .map((o) => [o.metadata.name, (o as unknown as { spec: BusRouteSpec }).spec]),
);
const routeFor = (topic: string) => [...routes.values()].find((r) => r.topic === topic)!;
const check = (topic: string, payload: unknown) => {
  const compiled = compileJsonSchema(routeFor(topic).schema);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.check(JSON.parse(JSON.stringify(payload)));
};

const at = "2026-03-01T10:00:00.000Z";
const person = {
  email: "Maria.Ivanova@example.com",
  phone: "+7 912 345-67-89",
  cookieId: "c-77",
  name: "Maria Ivanova",
};
const profileOf = (
  id: string,
  identity: {
    email?: string;
    phone?: string;
    cookieId?: string;
    sso?: { provider: string; subject: string };
  },
) =>
  withTouchpoints(
    emptyProfile(id, at),
    [
      toTouchpoint(
        touchpointInputSchema.parse({
          channel: "site_form",
          identity,
          name: person.name,
          consent: { email: true, messenger: true },
          preferredChannel: "messenger",
          interests: ["2b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a10"],
        }),
        `tp-${id}`,
        at,
        "7",
      ),
    ],
    at,
  );
const survivor = profileOf("p-1", {
  email: person.email,
  cookieId: person.cookieId,
  sso: { provider: "acme-id", subject: "u-4711" },
});
const absorbed = profileOf("p-2", { phone: person.phone });
const merge = {
  id: "m-1",
  survivorId: "p-1",
  absorbedIds: ["p-2"],
  rule: "email",
  actor: { kind: "manager", id: "manager-1" },
} as MergeRecord;
const item = {
  ...itemFieldsSchema.parse({
    sku: "SOFA-1",
    name: "Corner sofa",
    category: "furniture",
    price: { amount: 899, currency: "EUR" },
  }),
  id: "2b8f6c1e-7f0a-4a57-9d55-2c6f1f7a3a10",
  version: 3,
  createdAt: at,
  updatedAt: at,
};

const exported = [
  { what: "MDM's item change", topic: "mdm.item.changed", data: itemChanged("updated", item).data },
  { what: "CRM's new customer", topic: "customer.created", data: customerCreated(survivor).data },
  {
    what: "CRM's customer update",
    topic: "customer.updated",
    data: customerUpdated(survivor, "consent").data,
  },
  {
    what: "CRM's merge",
    topic: "customer.merged",
    data: customerMerged(merge, withAbsorbed(survivor, [absorbed], at)).data,
  },
];

describe("the samples' routes and the real services' payloads", () => {
  it.each(exported)(
    "when $what is exported, then its route's schema takes it",
    ({ topic, data }) => {
      expect(check(topic, data)).toEqual({ ok: true });
    },
  );

  it.each(exported.filter((e) => e.topic.startsWith("customer.")))(
    "when $what leaves the core, then no identity key, cookie or name is left readable, and the copy still passes the route's schema",
    ({ topic, data }) => {
      const redacted = JSON.stringify(redactPayload(data, routeFor(topic).redact as RedactRule[]));
      expect(JSON.stringify(data)).toContain("maria.ivanova@example.com");
      for (const secret of [
        "maria.ivanova",
        "79123456789",
        "c-77",
        "Maria Ivanova",
        "email:",
        "cookie:",
      ])
        expect(redacted).not.toContain(secret);
      expect(redacted).toContain('"id":"p-1"');
      // Partners of the topic get the corporate copy, checked against the same schema.
      expect(check(topic, JSON.parse(redacted))).toEqual({ ok: true });
    },
  );

  it.each(exported.filter((e) => e.topic.startsWith("customer.")))(
    "when $what leaves the core, then the person's sign-in account goes with it (the user cabinet finds its profile by it), without the sso: key",
    ({ topic, data }) => {
      const redacted = redactPayload(data, routeFor(topic).redact as RedactRule[]) as {
        profile: { accounts: string[] };
      };
      expect(redacted.profile.accounts).toEqual(["acme-id:u-4711"]);
      expect(JSON.stringify(redacted)).not.toContain("sso:");
    },
  );

  it("when CRM's profile grows a field the route does not name, then the export is refused rather than leaked", () => {
    const data = customerCreated({
      ...survivor,
      emails: ["m@example.com"],
    } as typeof survivor).data;
    expect(check("customer.created", data)).toMatchObject({
      ok: false,
      error: expect.stringContaining("must NOT have unevaluated properties (emails)"),
    });
  });

  it("when a sign-in as documented is imported, then the route takes it and CRM reads it", () => {
    const login = {
      sessionId: "7d444840-9dc0-11d1-b245-5ffdce74fad2",
      subject: "u-4711",
      provider: "social",
      email: "maria.ivanova@example.com",
      name: "Maria Ivanova",
      loggedInAt: at,
    };
    expect(check("sso.login", login)).toEqual({ ok: true });
    expect(ssoLoginSchema.safeParse(login).success).toBe(true);
    expect(check("sso.login", { ...login, provider: "fax" }).ok).toBe(false);
  });
});
