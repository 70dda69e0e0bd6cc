import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { KubeClient, type ResourceType } from "../kube/kube-client.js";
import type { KubeObject } from "../kube/kube-object.js";
import { OperatorMetrics } from "../metrics/operator-metrics.js";
import { Manager } from "../runtime/manager.js";
import { aModule, anEcosystem, aPartner, aRoute } from "../testing/fixtures.js";
import {
  desiredEcosystemChildren,
  retiredEcosystemChildTypes,
} from "./ecosystem/desired-children.js";
import { ecosystemController } from "./ecosystem/ecosystem-controller.js";
import { GatewayReviewers } from "./ecosystem/gateway-reviewers.js";
import { gatewayInputs } from "./ecosystem/gateway-inputs.js";
import { desiredModuleChildren } from "./module/desired-children.js";
import { moduleController } from "./module/module-controller.js";
import { desiredPartnerChildren } from "./partner/desired-children.js";
import { partnerController } from "./partner/partner-controller.js";
import { routeController } from "./route/route-controller.js";
import { createCaches, type ControllerContext } from "./shared/caches.js";
import { defaultGatewayImage } from "./ecosystem/desired-gateway.js";

// What each controller declares (owns, watches) against what its desired*() functions render,
// and the rule that keeps the controllers apart: they share code only through shared/.

function aContext(): ControllerContext {
  // A client that is never called: the definitions are read, not run.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "none", server: "https://127.0.0.1:1" }],
    users: [{ name: "none" }],
    contexts: [{ name: "none", cluster: "none", user: "none" }],
    currentContext: "none",
  });
  const client = new KubeClient(kc);
  const logger = pino({ level: "silent" });
  const manager = new Manager(client, {
    workers: 1,
    identity: "test",
    logger,
    metrics: new OperatorMetrics(),
  });
  return {
    ...createCaches(manager),
    children: manager.children,
    status: manager.status,
    reviewers: new GatewayReviewers(client, logger),
    gatewayImage: defaultGatewayImage(),
  };
}

const typeOf = (o: ResourceType) => `${o.apiVersion}/${o.kind}`;
const typesOf = (objects: readonly ResourceType[]) => [...new Set(objects.map(typeOf))].sort();

// Inputs that between them make each renderer produce every kind it can.
// Two gateway replicas (unordered delivery): their PodDisruptionBudget.
const ecosystem = anEcosystem("acme", { gateway: { replicas: 2 }, delivery: { ordered: false } });
const modules = [
  aModule("crm", {
    replicas: 2,
    publishes: [{ topic: "customer.created" }],
    subscribes: [{ topic: "mdm.item.changed" }],
    acceptsInvocationFrom: ["site"],
  }),
  aModule("site", { tier: "front-office", subscribes: [{ topic: "customer.exported" }] }),
];
const partners = [
  aPartner("sms"),
  aPartner("pay", {
    direction: "both",
    produces: ["payment.done"],
    auth: { type: "hmac", secretRef: { name: "pay-keys", key: "hmac" } },
  }),
];
const routes = [
  aRoute("customers-out", { topic: "customer.created", direction: "export" }),
  aRoute("customers-in", { topic: "customer.exported", direction: "import" }),
];

const rendered: Record<string, KubeObject[]> = {
  Ecosystem: desiredEcosystemChildren(ecosystem, {
    modules,
    ...gatewayInputs(ecosystem, routes, partners),
    gatewayImage: defaultGatewayImage(),
  }),
  EcosystemModule: modules.flatMap((m) => desiredModuleChildren(m, ecosystem)),
  PartnerIntegration: partners.flatMap((p) => desiredPartnerChildren(p, ecosystem)),
  BusRoute: [],
};

const context = aContext();
const definitions = [
  ecosystemController(context),
  moduleController(context),
  partnerController(context),
  routeController(context),
];

describe("controller definitions", () => {
  it.each(definitions.map((d) => ({ kind: d.objects.type.kind, definition: d })))(
    "$kind owns exactly the kinds its desired children are made of",
    ({ kind, definition }) => {
      const retired = kind === "Ecosystem" ? typesOf(retiredEcosystemChildTypes) : [];
      const owned = typesOf(definition.owns);
      expect(typesOf(rendered[kind]!)).toEqual(owned.filter((t) => !retired.includes(t)));
    },
  );

  it("each controller reconciles its own kind, once", () => {
    expect(definitions.map((d) => d.objects.type.kind)).toEqual([
      "Ecosystem",
      "EcosystemModule",
      "PartnerIntegration",
      "BusRoute",
    ]);
  });

  it("an Ecosystem looks again when a module, a partner or a route naming it changes; a module when its pods change; a route when any of these changes", () => {
    const watched = (i: number) => definitions[i]!.watches.map((w) => w.type.kind).sort();
    expect(watched(0)).toEqual(["BusRoute", "EcosystemModule", "PartnerIntegration"]);
    expect(watched(1)).toEqual(["Ecosystem", "Pod"]);
    expect(watched(2)).toEqual(["Ecosystem"]);
    expect(watched(3)).toEqual(["BusRoute", "Ecosystem", "EcosystemModule", "PartnerIntegration"]);
  });
});

describe("controllers' imports", () => {
  const root = new URL(".", import.meta.url).pathname;
  const kinds = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "shared")
    .map((d) => d.name);
  const sources = [...kinds, "shared"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => ({ dir, file: `${dir}/${f}`, text: readFileSync(join(root, dir, f), "utf8") })),
  );
  const importsOf = (text: string) => [...text.matchAll(/from "(\.[^"]+)"/g)].map((m) => m[1]!);

  it("finds the four controllers' folders", () => {
    expect(kinds.sort()).toEqual(["ecosystem", "module", "partner", "route"]);
  });

  it.each(sources.map(({ dir, file, text }) => ({ dir, file, imports: importsOf(text) })))(
    "$file imports no other controller's folder",
    ({ dir, imports }) => {
      const foreign = imports.filter((path) =>
        kinds.some((kind) => kind !== dir && path.startsWith(`../${kind}/`)),
      );
      expect(foreign).toEqual([]);
    },
  );
});
