import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "nats";
import { listen } from "@symbiont/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { startNats, type NatsServer } from "../../dev/harness/nats.js";
import { withCrdDefaults } from "../../dev/render/crd-defaults.js";
import {
  selfHosted,
  withSecretValues,
  writeResourceFiles,
  type DaprObject,
} from "../../dev/render/self-hosted.js";
import type { EcosystemModule } from "../../operator/src/api/ecosystem-module.types.js";
import type { Ecosystem } from "../../operator/src/api/ecosystem.types.js";
import { desiredBusComponents } from "../../operator/src/controllers/ecosystem/desired-buses.js";
import { desiredModuleChildren } from "../../operator/src/controllers/module/desired-children.js";
import { defaultRoute, internalBusName } from "@symbiont/contracts";
import { eventually } from "../support/kube.js";

// An Ecosystem whose internal bus is NATS JetStream, delivery not ordered, and a module that
// takes a topic in bulk deliveries: what the operator renders, loaded by real daprd against
// a real JetStream server. JetStream's component handles one message at a time unless told
// parallel; then a bulk delivery held one message, however many waited.

describe("a module's bulk subscription on an unordered NATS JetStream bus", () => {
  const dir = mkdtempSync(join(tmpdir(), "js-bulk-"));
  const name = `jsb${Date.now().toString(36)}`;
  const topic = "orders.placed";
  const messages = 100;
  let nats: NatsServer;
  let app: Server;
  let publisher: Daprd;
  let subscriber: Daprd;
  // What the module's sidecar handed it: the events' numbers, per delivery.
  const deliveries: number[][] = [];

  const ecosystem = withCrdDefaults<Ecosystem>({
    apiVersion: "symbiont.dev/v1alpha1",
    kind: "Ecosystem",
    metadata: { name, namespace: "default" },
    spec: {
      internalBus: { type: "nats-jetstream", connection: { secretRef: { name: "nats" } } },
      corporateBus: { type: "in-memory" },
      delivery: { ordered: false },
    },
  });
  const module = (moduleName: string, spec: Partial<EcosystemModule["spec"]>) =>
    withCrdDefaults<EcosystemModule>({
      apiVersion: "symbiont.dev/v1alpha1",
      kind: "EcosystemModule",
      metadata: { name: moduleName, namespace: "default" },
      spec: {
        ecosystemRef: { name },
        tier: "core",
        type: "custom",
        image: "example.com/module:1",
        ...spec,
      },
    });
  const orders = module(`${name}-orders`, { publishes: [{ topic }] });
  const crm = module(`${name}-crm`, {
    subscribes: [{ topic, bulk: { maxMessages: 50, maxAwaitMs: 20 } }],
  });

  beforeAll(async () => {
    nats = await startNats(dir);
    // Dapr's JetStream component needs the stream to exist (a platform team creates it).
    const client = await connect({ servers: nats.url });
    const streams = await client.jetstreamManager();
    await streams.streams.add({ name: "orders", subjects: [topic, `${topic}.>`] });
    await client.close();

    // As a service listens (the kit's listen), so an idle connection the sidecar reuses is open.
    app = await listen(
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          if (req.url !== defaultRoute(topic)) {
            res.writeHead(req.url === "/dapr/subscribe" ? 200 : 404).end("[]");
            return;
          }
          const { entries } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            entries: Array<{ entryId: string; event: { data: { n: number } } }>;
          };
          deliveries.push(entries.map((entry) => entry.event.data.n));
          // The first delivery takes a while: what arrives meanwhile waits for the next.
          setTimeout(
            () => {
              res.writeHead(200, { "content-type": "application/json" });
              res.end(
                JSON.stringify({
                  statuses: entries.map((entry) => ({ entryId: entry.entryId, status: "SUCCESS" })),
                }),
              );
            },
            deliveries.length === 1 ? 500 : 0,
          );
        });
      },
      0,
      "127.0.0.1",
    );

    const [bus] = desiredBusComponents(ecosystem, [orders, crm]);
    const subscriptions = desiredModuleChildren(crm, ecosystem).filter(
      (child) => child.kind === "Subscription",
    );
    const resources = join(dir, "resources");
    writeResourceFiles(
      resources,
      [
        withSecretValues(bus as DaprObject, new Map([["nats", { natsURL: nats.url }]])),
        ...subscriptions,
      ].map(selfHosted),
    );
    subscriber = await startDaprd({
      appId: crm.metadata.name,
      appPort: (app.address() as AddressInfo).port,
      resourcesDir: resources,
      dir,
      // As the operator annotates a module's pods.
      appMaxConcurrency: 1,
    });
    publisher = await startDaprd({ appId: orders.metadata.name, resourcesDir: resources, dir });
  });

  afterAll(async () => {
    await publisher?.stop();
    await subscriber?.stop();
    app?.close();
    await nats?.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it("when a hundred events are published at once, then deliveries carry several of them, each event once", async () => {
    for (let n = 0; n < messages; n += 20)
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const answer = await fetch(
            `${publisher.url}/v1.0/publish/${internalBusName(name)}/${topic}`,
            {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ n: n + i }),
            },
          );
          expect(answer.status).toBe(204);
        }),
      );

    await eventually(
      async () => deliveries.flat().length,
      (count) => count >= messages,
      { what: `the module receives ${messages} events`, timeoutMs: 60_000 },
    );
    const received = deliveries.flat();
    expect(new Set(received).size).toBe(messages);
    expect(received).toHaveLength(messages);
    expect(Math.max(...deliveries.map((delivery) => delivery.length))).toBeGreaterThan(1);
    expect(Math.max(...deliveries.map((delivery) => delivery.length))).toBeLessThanOrEqual(50);
  });
});
