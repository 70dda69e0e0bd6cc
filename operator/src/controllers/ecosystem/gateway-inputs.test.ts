import { gatewayFileSchema } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import type { DaprComponent } from "../../dapr/dapr-resources.js";
import { aModule, anEcosystem, aPartner, aRoute } from "../../testing/fixtures.js";
import { desiredPartnerChildren } from "../partner/desired-children.js";
import { desiredGatewaySubscriptions } from "./desired-gateway-subscriptions.js";
import { buildGatewayConfig } from "./gateway-config.js";
import { gatewayInputs } from "./gateway-inputs.js";

describe("gatewayInputs", () => {
  it("when a partner overrides part of the delivery policy, then the rest comes from the ecosystem", () => {
    const partner = aPartner("sms", { delivery: { maxAttempts: 3, bufferTTL: "1h" } });
    const [config] = gatewayInputs(anEcosystem(), [], [partner]).partners;
    expect(config).toMatchObject({
      binding: "acme-partner-sms",
      delivery: {
        maxAttempts: 3,
        backoffInitialMs: 1000,
        backoffMaxMs: 300_000,
        bufferTtlMs: 3_600_000,
      },
      rateLimit: { requestsPerSecond: 50, burst: 100 },
      auth: { type: "none" },
    });
  });

  it("when a partner takes several messages at once, then the gateway file says how many; otherwise the gateway sends one at a time", () => {
    const ecosystem = anEcosystem();
    const inputs = gatewayInputs(
      ecosystem,
      [],
      [aPartner("erp", { delivery: { concurrency: 8 } }), aPartner("sms")],
    );
    const file = gatewayFileSchema.parse(
      JSON.parse(JSON.stringify(buildGatewayConfig(ecosystem, inputs.routes, inputs.partners))),
    );
    expect(file.partners.map((p) => [p.name, p.delivery.concurrency])).toEqual([
      ["erp", 8],
      ["sms", 1],
    ]);
  });

  it("when a partner signs with HMAC, then the gateway gets the key as an environment variable from the Secret, never the value", () => {
    const partner = aPartner("pay", {
      direction: "both",
      produces: ["payment.done"],
      auth: { type: "hmac", secretRef: { name: "pay-keys", key: "hmac" } },
    });
    const inputs = gatewayInputs(anEcosystem(), [], [partner]);
    expect(inputs.partners[0]?.auth).toEqual({
      type: "hmac",
      secretEnv: "SYMBIONT_PARTNER_PAY_SECRET",
    });
    expect(inputs.gatewaySecretEnv).toEqual([
      { name: "SYMBIONT_PARTNER_PAY_SECRET", secretName: "pay-keys", key: "hmac" },
    ]);
  });

  it("when a partner's HMAC key is rotated, then the previous key comes in its own variable and the tolerance in ms", () => {
    const partner = aPartner("pay", {
      auth: {
        type: "hmac",
        secretRef: { name: "pay-keys", key: "hmac-2" },
        previousSecretRef: { name: "pay-keys", key: "hmac-1" },
        tolerance: "90s",
      },
    });
    const inputs = gatewayInputs(anEcosystem(), [], [partner]);
    expect(inputs.partners[0]?.auth).toEqual({
      type: "hmac",
      secretEnv: "SYMBIONT_PARTNER_PAY_SECRET",
      previousSecretEnv: "SYMBIONT_PARTNER_PAY_SECRET_PREVIOUS",
      toleranceMs: 90_000,
    });
    expect(inputs.gatewaySecretEnv).toEqual([
      { name: "SYMBIONT_PARTNER_PAY_SECRET", secretName: "pay-keys", key: "hmac-2" },
      { name: "SYMBIONT_PARTNER_PAY_SECRET_PREVIOUS", secretName: "pay-keys", key: "hmac-1" },
    ]);
  });

  it("routes carry their schema, redactions and signing", () => {
    const route = aRoute("out", { redact: [{ path: "$.email", action: "mask" }], sign: true });
    expect(gatewayInputs(anEcosystem(), [route], []).routes).toEqual([
      {
        name: "out",
        topic: "customer.created",
        direction: "export",
        schema: { type: "object" },
        redact: [{ path: "$.email", action: "mask" }],
        sign: true,
      },
    ]);
  });
});

describe("buildGatewayConfig", () => {
  it("when the operator renders routes and partners, then the gateway parses the file under the one contract, with its defaults", () => {
    const ecosystem = anEcosystem("acme", {
      security: { signingKeySecretRef: { name: "acme-signing", key: "hmac-key" } },
    });
    const inputs = gatewayInputs(
      ecosystem,
      [
        aRoute("out", { redact: [{ path: "$.profile.keys", action: "remove" }], sign: true }),
        aRoute("in", { topic: "sso.login", direction: "import", schema: undefined }),
      ],
      [
        aPartner("sms", { auth: { type: "hmac", secretRef: { name: "s", key: "k" } } }),
        aPartner("sso", { direction: "inbound", produces: ["sso.login"], consumes: [] }),
      ],
    );
    const file = gatewayFileSchema.parse(
      JSON.parse(JSON.stringify(buildGatewayConfig(ecosystem, inputs.routes, inputs.partners))),
    );
    expect(file).toMatchObject({
      ecosystem: "acme",
      internalPubsub: "acme-internal-bus",
      corporatePubsub: "acme-corporate-bus",
      signing: { keyEnv: "SYMBIONT_SIGNING_KEY" },
      routes: [
        { name: "in", sign: false },
        { name: "out", sign: true },
      ],
    });
    expect(file.partners.map((p) => [p.name, p.binding, p.delivery.timeoutMs])).toEqual([
      ["sms", "acme-partner-sms", 10_000],
      ["sso", "acme-partner-sso", 10_000],
    ]);
  });
});

describe("the gateway's timeouts and retention", () => {
  it("when a partner sets binding.timeout and the ecosystem a ledger retention, then the gateway file carries both", () => {
    const ecosystem = anEcosystem("acme", { gateway: { ledgerRetention: "48h" } });
    const inputs = gatewayInputs(
      ecosystem,
      [],
      [aPartner("slow", { binding: { type: "http", timeout: "2500ms" } })],
    );
    const file = gatewayFileSchema.parse(
      JSON.parse(JSON.stringify(buildGatewayConfig(ecosystem, inputs.routes, inputs.partners))),
    );
    expect(file.partners[0]?.delivery.timeoutMs).toBe(2_500);
    expect(file.ledgerRetentionMs).toBe(48 * 3_600_000);
  });
});

describe("desiredGatewaySubscriptions", () => {
  it("subscribes the gateway to exports on the internal bus, imports and partner topics on the corporate bus, and every dead-letter topic", () => {
    const ecosystem = anEcosystem();
    const inputs = gatewayInputs(
      ecosystem,
      [aRoute("out"), aRoute("in", { topic: "touchpoint.recorded", direction: "import" })],
      [aPartner("sms")],
    );
    const modules = [aModule("crm", { subscribes: [{ topic: "mdm.item.changed" }] })];
    const subs = desiredGatewaySubscriptions(
      ecosystem,
      modules,
      inputs.routes,
      inputs.partners,
    ) as unknown as {
      spec: {
        pubsubname: string;
        topic: string;
        deadLetterTopic?: string;
        routes: { default: string };
      };
      scopes: string[];
    }[];
    expect(
      subs
        .map(
          (s) =>
            `${s.spec.pubsubname} ${s.spec.topic} ${s.spec.routes.default} -> ${s.spec.deadLetterTopic ?? "(broker retries)"}`,
        )
        .sort(),
    ).toEqual([
      "acme-corporate-bus notification.sms /events/notification.sms -> notification.sms.acme-bus-gateway.deadletter",
      "acme-corporate-bus notification.sms.acme-bus-gateway.deadletter /deadletters/acme-bus-gateway/notification.sms -> (broker retries)",
      "acme-corporate-bus touchpoint.recorded /events/touchpoint.recorded -> touchpoint.recorded.acme-bus-gateway.deadletter",
      "acme-corporate-bus touchpoint.recorded.acme-bus-gateway.deadletter /deadletters/acme-bus-gateway/touchpoint.recorded -> (broker retries)",
      "acme-internal-bus customer.created /events/customer.created -> customer.created.acme-bus-gateway.deadletter",
      "acme-internal-bus customer.created.acme-bus-gateway.deadletter /deadletters/acme-bus-gateway/customer.created -> (broker retries)",
      // The module's dead letters, routed so the gateway records them as the module's.
      "acme-internal-bus mdm.item.changed.crm.deadletter /deadletters/crm/mdm.item.changed -> (broker retries)",
    ]);
    expect(subs.every((s) => s.scopes.join() === "acme-bus-gateway")).toBe(true);
  });
});

describe("desiredPartnerChildren", () => {
  it("an outbound partner is an HTTP binding only the gateway loads; its credential stays with the gateway", () => {
    const [binding] = desiredPartnerChildren(
      aPartner("ads", {
        auth: { type: "bearer", secretRef: { name: "ads-token", key: "header" } },
      }),
      anEcosystem(),
    ) as DaprComponent[];
    expect(binding).toMatchObject({
      metadata: { name: "acme-partner-ads" },
      spec: { type: "bindings.http" },
      scopes: ["acme-bus-gateway"],
    });
    expect(binding!.spec.metadata).toContainEqual({
      name: "url",
      value: "https://ads.example.com/hooks",
    });
    // The credential never reaches the binding: the gateway authorises each delivery itself.
    expect(JSON.stringify(binding)).not.toContain("ads-token");
  });

  it("an inbound-only partner needs no binding", () => {
    expect(
      desiredPartnerChildren(
        aPartner("sso", { direction: "inbound", endpoint: undefined }),
        anEcosystem(),
      ),
    ).toEqual([]);
  });
});
