import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { componentsDir, renderComponents } from "../../dev/render/render-components.js";

// components/ is what the operator renders for samples/, as files for a bare daprd: it must
// never drift from the operator's functions or from the samples.

const rendered = renderComponents();
const documents = (file: string) =>
  parseAllDocuments(rendered.get(file)!).map(
    (d) =>
      d.toJSON() as {
        kind: string;
        metadata: { name: string };
        spec: Record<string, unknown>;
        scopes?: string[];
      },
  );

describe("components/", () => {
  it("when samples/ or the operator's rendering changes, then components/ must be regenerated (make generate)", () => {
    expect(readdirSync(componentsDir).sort()).toEqual([...rendered.keys()].sort());
    for (const [file, content] of rendered)
      expect(
        readFileSync(join(componentsDir, file), "utf8"),
        `components/${file} is stale: run make generate`,
      ).toBe(content);
  });

  it("then both buses connect to the local default's brokers by plain values, scoped by tier, and mTLS is off", () => {
    const [internal, corporate] = documents("buses.yaml");
    expect(internal).toMatchObject({
      metadata: { name: "acme-internal-bus" },
      spec: { type: "pubsub.redis" },
    });
    expect(internal!.scopes).toEqual([
      "acme-bus-gateway",
      "analytics",
      "crm",
      "files",
      "marketplace",
      "mdm",
      "processes",
    ]);
    expect(corporate).toMatchObject({
      metadata: { name: "acme-corporate-bus" },
      spec: { type: "pubsub.rabbitmq" },
    });
    expect(JSON.stringify([internal, corporate])).not.toContain("secretKeyRef");
    expect(documents("configuration.yaml")[0]).toMatchObject({
      spec: { mtls: { enabled: false } },
    });
  });

  it("then each module's subscriptions and the gateway's are there, each with a dead-letter topic", () => {
    const subscriptions = documents("subscriptions.yaml");
    const crm = subscriptions.filter((s) => s.scopes?.includes("crm")).map((s) => s.spec.topic);
    expect(crm.sort()).toEqual(["mdm.item.changed", "sso.login", "touchpoint.recorded"]);
    const gateway = subscriptions.filter((s) => s.scopes?.includes("acme-bus-gateway"));
    expect(gateway.map((s) => `${s.spec.pubsubname}/${s.spec.topic}`)).toContain(
      "acme-corporate-bus/sso.login",
    );
    for (const s of subscriptions.filter((s) => !String(s.spec.topic).endsWith(".deadletter")))
      expect(s.spec.deadLetterTopic).toBe(`${String(s.spec.topic)}.${s.scopes![0]}.deadletter`);
    // Every dead-letter topic reaches the gateway, on a route naming whose it is.
    const routed = new Map(
      gateway.map((s) => [
        `${String(s.spec.pubsubname)}/${String(s.spec.topic)}`,
        (s.spec.routes as { default: string }).default,
      ]),
    );
    for (const s of subscriptions.filter((s) => s.spec.deadLetterTopic))
      expect(routed.get(`${String(s.spec.pubsubname)}/${String(s.spec.deadLetterTopic)}`)).toBe(
        `/deadletters/${s.scopes![0]}/${String(s.spec.topic)}`,
      );
  });
});
