import { CustomObjectsApi } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, testKubeConfig } from "../support/kube.js";

// A3: a module's place is decided by the API server, before the operator sees it. A core
// type (mdm, crm, files, processes, analytics, marketplace) is core; a module never changes
// tier (its data and Secrets would cross to the corporate bus); no module takes a bus
// gateway's name (its app-id is the gateway's, on both buses). Each refusal names the field
// and nothing is stored.

const coreTypes = ["mdm", "crm", "files", "processes", "analytics", "marketplace"] as const;
const outsideTiers = ["servicing", "front-office"] as const;

describe("modules and partners the API server refuses", () => {
  const kc = testKubeConfig();
  const custom = kc.makeApiClient(CustomObjectsApi);
  let namespace: string;
  const target = { group: "symbiont.dev", version: "v1alpha1", plural: "ecosystemmodules" };
  const body = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "EcosystemModule",
    metadata: { name },
    spec: { ecosystemRef: { name: "acme" }, image: "ghcr.io/symbiont-dev/crm:dev", ...spec },
  });
  const create = (name: string, spec: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({ ...target, namespace, body: body(name, spec) });
  const stored = async () =>
    (
      (await custom.listNamespacedCustomObject({ ...target, namespace })) as {
        items: { metadata: { name: string } }[];
      }
    ).items.map((item) => item.metadata.name);

  beforeAll(async () => {
    namespace = await createTestNamespace(kc, "admission");
  });

  it.each(coreTypes.flatMap((type) => outsideTiers.map((tier) => [type, tier] as const)))(
    "when a module of type %s says tier %s, then it is refused naming spec.tier",
    async (type, tier) => {
      await expect(create(`m-${type}-${tier}`, { type, tier })).rejects.toThrow(
        new RegExp(`spec\\.tier: .*a module of type ${type} holds the core's data`),
      );
    },
  );

  it.each(["acme-bus-gateway", "other-bus-gateway", "x-bus-gateway"])(
    "when a module is named %s, then it is refused: the name is a bus gateway's",
    async (name) => {
      await expect(create(name, { type: "site", tier: "front-office" })).rejects.toThrow(
        /names ending in -bus-gateway belong to the ecosystems' bus gateways/,
      );
    },
  );

  it.each([
    ["core", "front-office", "crm"],
    ["core", "servicing", "custom"],
    ["front-office", "core", "site"],
    ["servicing", "core", "custom"],
    ["servicing", "front-office", "custom"],
  ] as const)(
    "when a %s module is changed to tier %s, then the change is refused and the tier stays",
    async (from, to, type) => {
      const name = `flip-${from}-${to}`;
      await create(name, { type, tier: from });
      await expect(
        custom.patchNamespacedCustomObject(
          {
            ...target,
            namespace,
            name,
            body: [{ op: "replace", path: "/spec/tier", value: to }],
          },
          undefined,
        ),
      ).rejects.toThrow(/spec\.tier is immutable/);
      const kept = (await custom.getNamespacedCustomObject({ ...target, namespace, name })) as {
        spec: { tier: string };
      };
      expect(kept.spec.tier).toBe(from);
    },
  );

  it.each(["pay.x", "pay.x.y"])(
    "when a partner is named %s, then it is refused: its credential's variable would be another partner's",
    async (name) => {
      await expect(
        custom.createNamespacedCustomObject({
          group: "symbiont.dev",
          version: "v1alpha1",
          plural: "partnerintegrations",
          namespace,
          body: {
            apiVersion: "symbiont.dev/v1alpha1",
            kind: "PartnerIntegration",
            metadata: { name },
            spec: {
              ecosystemRef: { name: "acme" },
              category: "acquiring",
              direction: "outbound",
              endpoint: "https://pay.example.com/hook",
            },
          },
        }),
      ).rejects.toThrow(/metadata\.name: a partner's name becomes its webhook path/);
    },
  );

  const ecosystemWith = (
    name: string,
    settings: Record<string, string>,
    options: { allowLossySettings?: boolean } = {},
  ) =>
    custom.createNamespacedCustomObject({
      group: "symbiont.dev",
      version: "v1alpha1",
      plural: "ecosystems",
      namespace,
      body: {
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "Ecosystem",
        metadata: { name },
        spec: {
          internalBus: {
            type: "redis",
            connection: { secretRef: { name: "bus" } },
            settings,
            ...options,
          },
          corporateBus: { type: "rabbitmq", connection: { secretRef: { name: "bus" } } },
        },
      },
    });

  it.each([
    { maxLenApprox: "10000" },
    { maxLen: "100" },
    { maxLenBytes: "1048576" },
    { ttlInSeconds: "60" },
    { durable: "false" },
    { deletedWhenUnused: "true" },
    { autoAck: "true" },
    { publisherConfirm: "false" },
    { deliveryMode: "1" },
    { requeueInFailure: "false" },
    { redeliverInterval: "0" },
  ] as Record<string, string>[])(
    "when a bus's settings are %j, then the Ecosystem is refused: they lose messages",
    async (settings) => {
      await expect(ecosystemWith("lossy", settings)).rejects.toThrow(
        /spec\.internalBus\.settings: .*the bus keeps every message until it is delivered/s,
      );
    },
  );

  it.each([
    { maxLenApprox: "10000" },
    { durable: "false", publisherConfirm: "false" },
    { streamTTL: "1h", redeliverInterval: "0s" },
  ] as Record<string, string>[])(
    "when a bus with allowLossySettings: true has settings %j, then the Ecosystem is stored with them",
    async (settings) => {
      const name = `lossy-ok-${Object.keys(settings)[0]!.toLowerCase()}`;
      await ecosystemWith(name, settings, { allowLossySettings: true });
      const kept = (await custom.getNamespacedCustomObject({
        group: "symbiont.dev",
        version: "v1alpha1",
        plural: "ecosystems",
        namespace,
        name,
      })) as {
        spec: { internalBus: { settings: Record<string, string>; allowLossySettings: boolean } };
      };
      expect(kept.spec.internalBus).toMatchObject({ settings, allowLossySettings: true });
    },
  );

  it("when a bus says allowLossySettings: false, then its lossy settings are refused naming the opt-in", async () => {
    await expect(
      ecosystemWith("lossy-not-allowed", { maxLenApprox: "10" }, { allowLossySettings: false }),
    ).rejects.toThrow(
      /spec\.internalBus\.settings: .*or accept the loss with\s+allowLossySettings: true/s,
    );
  });

  it("when a bus allows lossy settings, then credentials in its settings are still refused", async () => {
    await expect(
      ecosystemWith(
        "lossy-leaky",
        { maxLenApprox: "10", redisPassword: "p" },
        { allowLossySettings: true },
      ),
    ).rejects.toThrow(/connect to or authenticate with the broker: put them in the Secret/);
  });

  it.each([
    { redisPassword: "hunter2" },
    { username: "u" },
    { password: "p", prefetchCount: "5" },
    { redisHost: "10.0.0.5:6379" },
    { connectionString: "amqp://u:p@h" },
    { jwt: "eyJ..." },
    { clientKey: "-----BEGIN" },
  ] as Record<string, string>[])(
    "when a bus's settings hold %j, then the Ecosystem is refused: credentials belong in the Secret",
    async (settings) => {
      await expect(ecosystemWith("leaky", settings)).rejects.toThrow(
        /spec\.internalBus\.settings: .*connect to or authenticate with the broker: put them in the Secret/s,
      );
    },
  );

  const partnerWithAuth = (name: string, auth: Record<string, unknown>) =>
    custom.createNamespacedCustomObject({
      group: "symbiont.dev",
      version: "v1alpha1",
      plural: "partnerintegrations",
      namespace,
      body: {
        apiVersion: "symbiont.dev/v1alpha1",
        kind: "PartnerIntegration",
        metadata: { name },
        spec: {
          ecosystemRef: { name: "acme" },
          category: "messaging",
          direction: "outbound",
          endpoint: "https://sms.example.com/hook",
          auth,
        },
      },
    });
  const keys = { secretRef: { name: "sms-keys", key: "current" } };

  it.each([
    [
      { type: "bearer", ...keys, previousSecretRef: { name: "sms-keys", key: "old" } },
      /spec\.auth\.previousSecretRef: .*needs auth\.type hmac/s,
    ],
    [
      { type: "bearer", ...keys, tolerance: "5m" },
      /spec\.auth\.tolerance: .*needs auth\.type hmac/s,
    ],
    [{ type: "hmac", ...keys, tolerance: "0s" }, /auth\.tolerance must be between 1s and 24h/],
    [{ type: "hmac", ...keys, tolerance: "48h" }, /auth\.tolerance must be between 1s and 24h/],
    [{ type: "hmac", ...keys, tolerance: "soon" }, /spec\.auth\.tolerance/],
  ] as const)(
    "when a partner's auth is %j, then it is refused naming the field",
    async (auth, message) => {
      await expect(partnerWithAuth("sms-rotating", auth)).rejects.toThrow(message);
    },
  );

  it("when an hmac partner names its previous key and a tolerance, then it is stored", async () => {
    await partnerWithAuth("sms-rotation", {
      type: "hmac",
      ...keys,
      previousSecretRef: { name: "sms-keys", key: "old" },
      tolerance: "90s",
    });
    const kept = (await custom.getNamespacedCustomObject({
      group: "symbiont.dev",
      version: "v1alpha1",
      plural: "partnerintegrations",
      namespace,
      name: "sms-rotation",
    })) as { spec: { auth: Record<string, unknown> } };
    expect(kept.spec.auth).toMatchObject({ previousSecretRef: { key: "old" }, tolerance: "90s" });
  });

  it.each([
    "https://user:secret@pay.example.com/hook",
    "https://token@pay.example.com/hook",
    "https://pay.example.com/hook?token=abc",
    "https://pay.example.com/hook?x=1&api_key=abc",
    "https://pay.example.com/hook?Signature=abc",
    "http://pay.example.com/hook",
  ])(
    "when a partner's endpoint is %s, then it is refused: credentials belong in the Secret",
    async (endpoint) => {
      await expect(
        custom.createNamespacedCustomObject({
          group: "symbiont.dev",
          version: "v1alpha1",
          plural: "partnerintegrations",
          namespace,
          body: {
            apiVersion: "symbiont.dev/v1alpha1",
            kind: "PartnerIntegration",
            metadata: { name: "pay" },
            spec: {
              ecosystemRef: { name: "acme" },
              category: "acquiring",
              direction: "outbound",
              endpoint,
            },
          },
        }),
      ).rejects.toThrow(
        /spec\.endpoint (carries credentials|carries a credential|is plain http:\/\/)/,
      );
    },
  );

  it.each([0, 33])(
    "when a partner asks for %i messages at once, then it is refused naming the field and its bounds",
    async (concurrency) => {
      await expect(
        custom.createNamespacedCustomObject({
          group: "symbiont.dev",
          version: "v1alpha1",
          plural: "partnerintegrations",
          namespace,
          body: {
            apiVersion: "symbiont.dev/v1alpha1",
            kind: "PartnerIntegration",
            metadata: { name: "erp" },
            spec: {
              ecosystemRef: { name: "acme" },
              category: "industry",
              direction: "outbound",
              endpoint: "https://erp.example.com/orders",
              delivery: { concurrency },
            },
          },
        }),
      ).rejects.toThrow(
        /spec\.delivery\.concurrency.*should be (greater than or equal to 1|less than or equal to 32)/,
      );
    },
  );

  it("then only the Ecosystems that opted into lossy settings and the rotating partner were stored", async () => {
    const names = async (plural: string) =>
      (
        (await custom.listNamespacedCustomObject({
          group: "symbiont.dev",
          version: "v1alpha1",
          plural,
          namespace,
        })) as { items: { metadata: { name: string } }[] }
      ).items
        .map((item) => item.metadata.name)
        .sort();
    expect(await names("ecosystems")).toEqual([
      "lossy-ok-durable",
      "lossy-ok-maxlenapprox",
      "lossy-ok-streamttl",
    ]);
    expect(await names("partnerintegrations")).toEqual(["sms-rotation"]);
  });

  it("then only the valid modules were stored", async () => {
    expect((await stored()).sort()).toEqual([
      "flip-core-front-office",
      "flip-core-servicing",
      "flip-front-office-core",
      "flip-servicing-core",
      "flip-servicing-front-office",
    ]);
  });
});
