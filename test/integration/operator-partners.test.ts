import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KubeClient } from "../../operator/src/kube/kube-client.js";
import type { KubeObject } from "../../operator/src/kube/kube-object.js";
import { applyManifests } from "../../dev/harness/apply-manifests.js";
import { toolPath } from "../../dev/harness/tool-paths.js";
import { createTestNamespace, eventually, testKubeConfig } from "../support/kube.js";
import { startOperatorProcess, type OperatorProcess } from "../../dev/stack/operator-process.js";

// PartnerIntegrations and BusRoutes on the real control plane: the Dapr binding per partner,
// the gateway's configuration and subscriptions, route verdicts that follow the publishers,
// and what the API server refuses.

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kc = testKubeConfig();
const client = new KubeClient(kc);
let namespace: string;
let operator: OperatorProcess;

const get = (apiVersion: string, kind: string, name: string) =>
  client.get<Obj>({ apiVersion, kind, namespace, name });
const ready = (object: Obj | undefined) =>
  object?.status?.conditions?.find((c: { type: string }) => c.type === "Ready") as
    { status: string; reason: string; message: string } | undefined;
const apply = (...objects: object[]) =>
  applyManifests(kc, objects as KubeObject[], "test-user", namespace);
const kubectl = (...args: string[]) =>
  execFileSync(toolPath("kubectl"), [...args, "-n", namespace], {
    env: { ...process.env, KUBECONFIG: inject("kubeconfigPath") },
    encoding: "utf8",
  });

const emod = (name: string, tier: string, publishes: string[]) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "EcosystemModule",
  metadata: { name },
  spec: {
    ecosystemRef: { name: "acme" },
    tier,
    type: "custom",
    image: "example.com/x:1",
    publishes: publishes.map((topic) => ({ topic })),
  },
});
const partner = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "PartnerIntegration",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, ...spec },
});
const route = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "symbiont.dev/v1alpha1",
  kind: "BusRoute",
  metadata: { name },
  spec: { ecosystemRef: { name: "acme" }, ...spec },
});
const customerSchema = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string" }, email: { type: "string" } },
};

beforeAll(async () => {
  namespace = await createTestNamespace(kc, "partners");
  operator = await startOperatorProcess({
    kubeconfigPath: inject("kubeconfigPath"),
    namespace,
    dir: join(inject("controlPlaneDir"), `operator-${namespace}`),
  });
  await apply(
    {
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "Ecosystem",
      metadata: { name: "acme" },
      spec: {
        internalBus: { type: "redis", connection: { secretRef: { name: "internal-bus" } } },
        corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "corporate-bus" } } },
        security: { signingKeySecretRef: { name: "acme-signing", key: "hmac-key" } },
      },
    },
    emod("crm", "core", ["customer.created"]),
    emod("site", "front-office", ["touchpoint.recorded"]),
    partner("sms", {
      category: "messaging",
      direction: "both",
      endpoint: "https://sms.example.com/send",
      auth: { type: "hmac", secretRef: { name: "sms-keys", key: "hmac" } },
      consumes: ["notification.sms"],
      produces: ["sms.status"],
      delivery: { maxAttempts: 3 },
    }),
    partner("ads", {
      category: "ads",
      endpoint: "https://ads.example.com/events",
      auth: { type: "bearer", secretRef: { name: "ads-token", key: "authorization" } },
      consumes: ["customer.created"],
    }),
    route("customers-out", {
      topic: "customer.created",
      direction: "export",
      schema: customerSchema,
      redact: [{ path: "$.email" }],
      sign: true,
    }),
    route("touchpoints-in", { topic: "touchpoint.recorded", direction: "import" }),
  );
});

afterAll(async () => {
  await operator?.stop();
  client.close();
});

describe("partners and routes", () => {
  it("when a partner is outbound, then a Dapr HTTP binding reaches it, loaded only by the gateway, its credential kept for the gateway", async () => {
    const binding = await eventually(
      () => get("dapr.io/v1alpha1", "Component", "acme-partner-ads"),
      Boolean,
      { what: "binding" },
    );
    expect(binding!.spec.type).toBe("bindings.http");
    expect(binding!.scopes).toEqual(["acme-bus-gateway"]);
    expect(JSON.stringify(binding!.spec)).not.toContain("ads-token");
    expect(binding!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "PartnerIntegration",
      name: "ads",
    });
    const ads = await eventually(
      () => get("symbiont.dev/v1alpha1", "PartnerIntegration", "ads"),
      (p) => ready(p)?.status === "True",
    );
    expect(ads!.status.bindingComponent).toBe("acme-partner-ads");
  });

  it("then the gateway's configuration holds the valid routes and the partners, and its Deployment reads partner keys from Secrets", async () => {
    const configMap = await eventually(
      () => get("v1", "ConfigMap", "acme-bus-gateway"),
      // The operator renders again as each route and partner appears: both settle.
      (cm) => {
        const file = JSON.parse(cm?.data?.["config.json"] ?? "{}");
        return file.partners?.length === 2 && file.routes?.length === 2;
      },
      { what: "gateway config with 2 partners and 2 routes" },
    );
    const config = JSON.parse(configMap!.data["config.json"]);
    expect(config.routes.map((r: { name: string }) => r.name)).toEqual([
      "customers-out",
      "touchpoints-in",
    ]);
    expect(config.routes[0]).toMatchObject({
      topic: "customer.created",
      redact: [{ path: "$.email", action: "remove" }],
      sign: true,
    });
    expect(config.partners.find((p: { name: string }) => p.name === "sms")).toMatchObject({
      binding: "acme-partner-sms",
      delivery: { maxAttempts: 3, backoffInitialMs: 1000 },
      auth: { type: "hmac", secretEnv: "SYMBIONT_PARTNER_SMS_SECRET" },
    });
    expect(configMap!.data["config.json"]).not.toMatch(/hmac-key|sms-keys|ads-token/);
    expect(config.partners.find((p: { name: string }) => p.name === "ads").auth).toEqual({
      type: "bearer",
      secretEnv: "SYMBIONT_PARTNER_ADS_SECRET",
    });
    // The ConfigMap and the Deployment are applied side by side: the Deployment may land a
    // moment after the ConfigMap.
    const deployment = await eventually(
      () => get("apps/v1", "Deployment", "acme-bus-gateway"),
      (d) =>
        (d?.spec?.template?.spec?.containers?.[0]?.env ?? []).some(
          (e: { name: string }) => e.name === "SYMBIONT_PARTNER_ADS_SECRET",
        ),
      { what: "the gateway's Deployment with the partners' keys" },
    );
    const env = deployment!.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: "SYMBIONT_PARTNER_SMS_SECRET",
      valueFrom: { secretKeyRef: { name: "sms-keys", key: "hmac" } },
    });
    expect(env).toContainEqual({
      name: "SYMBIONT_PARTNER_ADS_SECRET",
      valueFrom: { secretKeyRef: { name: "ads-token", key: "authorization" } },
    });
    expect(env).toContainEqual({
      name: "SYMBIONT_SIGNING_KEY",
      valueFrom: { secretKeyRef: { name: "acme-signing", key: "hmac-key" } },
    });
    expect(await get("rbac.authorization.k8s.io/v1", "Role", "acme-bus-gateway")).toBeDefined();
    const gatewayTopics = async () =>
      (
        await client.list<Obj>(
          { apiVersion: "dapr.io/v2alpha1", kind: "Subscription" },
          { namespace },
        )
      ).items
        .filter((s) => s.scopes?.[0] === "acme-bus-gateway")
        .map((s) => `${s.spec.pubsubname}/${s.spec.topic}`);
    const wanted = [
      "acme-internal-bus/customer.created",
      "acme-corporate-bus/touchpoint.recorded",
      "acme-corporate-bus/notification.sms",
    ];
    await eventually(gatewayTopics, (topics) => wanted.every((t) => topics.includes(t)), {
      what: `gateway subscriptions ${wanted}`,
    });
  });

  it("when a route exports a topic no core module publishes, then Ready=False TopicNotPublished, until one does", async () => {
    await apply(
      route("orders-out", {
        topic: "order.created",
        direction: "export",
        schema: { type: "object" },
      }),
    );
    const waiting = await eventually(
      () => get("symbiont.dev/v1alpha1", "BusRoute", "orders-out"),
      (r) => ready(r)?.reason === "TopicNotPublished",
    );
    expect(ready(waiting)!.message).toContain("no core module of acme publishes order.created");
    const config = JSON.parse(
      (await get("v1", "ConfigMap", "acme-bus-gateway"))!.data["config.json"],
    );
    expect(config.routes.map((r: { name: string }) => r.name)).not.toContain("orders-out");
    await apply(emod("marketplace", "core", ["order.created"]));
    await eventually(
      () => get("symbiont.dev/v1alpha1", "BusRoute", "orders-out"),
      (r) => ready(r)?.status === "True",
      {
        what: "orders-out Ready once marketplace publishes",
      },
    );
    await eventually(
      async () =>
        JSON.parse(
          (await get("v1", "ConfigMap", "acme-bus-gateway"))!.data["config.json"],
        ).routes.map((r: { name: string }) => r.name),
      (names: string[]) => names.includes("orders-out"),
      { what: "orders-out in the gateway's configuration" },
    );
  });

  it("when a route's schema is one the gateway cannot compile (draft-07 with a 2020-12 keyword), then Ready=False InvalidSchema with the compiler's message and the gateway's configuration leaves it out, until it says 2020-12", async () => {
    const statusSchema = (dialect: string) => ({
      $schema: dialect,
      type: "object",
      properties: { messageRef: { type: "string" } },
      unevaluatedProperties: false,
    });
    await apply(
      route("status-in", {
        topic: "sms.status",
        direction: "import",
        schema: statusSchema("http://json-schema.org/draft-07/schema#"),
      }),
    );
    const refused = await eventually(
      () => get("symbiont.dev/v1alpha1", "BusRoute", "status-in"),
      (r) => ready(r)?.reason === "InvalidSchema",
      { what: "status-in InvalidSchema" },
    );
    expect(ready(refused)!.message).toBe(
      'spec.schema is not a valid JSON Schema: strict mode: unknown keyword: "unevaluatedProperties"',
    );
    const config = JSON.parse(
      (await get("v1", "ConfigMap", "acme-bus-gateway"))!.data["config.json"],
    );
    expect(config.routes.map((r: { name: string }) => r.name)).not.toContain("status-in");
    await apply(
      route("status-in", {
        topic: "sms.status",
        direction: "import",
        schema: statusSchema("https://json-schema.org/draft/2020-12/schema"),
      }),
    );
    await eventually(
      () => get("symbiont.dev/v1alpha1", "BusRoute", "status-in"),
      (r) => ready(r)?.reason === "Routed",
      { what: "status-in Routed with a 2020-12 schema" },
    );
    await eventually(
      async () =>
        JSON.parse(
          (await get("v1", "ConfigMap", "acme-bus-gateway"))!.data["config.json"],
        ).routes.map((r: { name: string }) => r.name),
      (names: string[]) => names.includes("status-in"),
      { what: "status-in in the gateway's configuration" },
    );
  });

  it.each([
    {
      what: "an export route without a schema",
      object: route("bad-export", { topic: "customer.created", direction: "export" }),
      message: /an export route sends core data outside the core, so it needs schema/,
    },
    {
      what: "an inbound partner without HMAC",
      object: partner("bad-inbound", {
        category: "sso",
        direction: "inbound",
        produces: ["sso.login"],
      }),
      message: /inbound webhooks are accepted only with a valid HMAC signature/,
    },
    {
      what: "an outbound partner without an endpoint",
      object: partner("bad-outbound", { category: "acquiring", consumes: ["order.paid"] }),
      message: /an outbound partner needs endpoint/,
    },
    {
      what: "bearer auth without a Secret",
      object: partner("bad-auth", {
        category: "ads",
        endpoint: "https://x.example.com",
        auth: { type: "bearer" },
      }),
      message: /auth.type bearer needs auth.secretRef/,
    },
  ])(
    "when $what is applied, then the API server refuses it with a message that says what to do",
    async ({ object, message }) => {
      await expect(apply(object)).rejects.toThrow(message);
    },
  );

  it("then kubectl get shows at a glance whether partners and routes work", async () => {
    await eventually(
      () => get("symbiont.dev/v1alpha1", "BusRoute", "touchpoints-in"),
      (r) => ready(r)?.status === "True",
    );
    const partners = kubectl("get", "partner");
    expect(partners.split("\n")[0]).toMatch(
      /^NAME\s+ECOSYSTEM\s+CATEGORY\s+READY\s+REASON\s+DELIVERED\s+BUFFERED\s+DEAD\s+AGE$/,
    );
    expect(partners).toMatch(/sms\s+acme\s+messaging\s+True\s+\w+/);
    // `route` is OpenShift's; BusRoutes answer to busroute and br (by name: AGE may tick between calls).
    expect(kubectl("get", "busroute", "-o", "name")).toBe(kubectl("get", "br", "-o", "name"));
    expect(kubectl("get", "br", "-o", "name")).toMatch(/^busroute\.symbiont\.dev\//m);
    const routes = kubectl("get", "br");
    expect(routes.split("\n")[0]).toMatch(
      /^NAME\s+TOPIC\s+DIRECTION\s+SIGNED\s+READY\s+REASON\s+AGE/,
    );
    expect(routes).toMatch(/customers-out\s+customer.created\s+export\s+true\s+True\s+Routed/);
  });
});
