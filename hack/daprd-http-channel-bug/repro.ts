import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { daprdLog, startDaprd } from "../../dev/harness/daprd.js";
import { freePort } from "../../dev/harness/probe.js";
import { startRedis } from "../../dev/stack/gateway-stack.js";

// A standalone reproduction of a daprd 1.18 bug, for upstream: with overlapping deliveries
// over the HTTP app channel, a delivery that fails to reach the app (the app is restarting,
// or a keep-alive connection was closed under it) can be reported as an empty 200, and Dapr
// acknowledges a message the app never saw (`pkg/middleware/http/pipeline.go` swaps the
// shared pipeline's root handler on every call). Plain Dapr only: a Redis Streams pub/sub
// component, one declarative Subscription, an app that acknowledges everything it gets and
// goes away for a moment a few times while messages flow. Every message published must
// reach the app at least once; `lost` counts those that never did.
//
// Modes: `single` (one message per call, overlapping calls: the bug), `single-1` (one call
// at a time: --app-max-concurrency=1, the workaround) and `bulk` (bulkSubscribe: the app
// answers a status per entry, and daprd takes an empty body as RETRY).
//
// `node --conditions=symbiont-source --import tsx hack/daprd-http-channel-bug/repro.ts [mode...]`
// (REPRO_MESSAGES, default 2000; REPRO_FLAPS, default 10). Needs redis-server and the
// daprd of `make tools`.

export type ReproMode = "single" | "single-1" | "bulk";

export interface ReproResult {
  mode: ReproMode;
  published: number;
  received: number;
  lost: number;
  /** Calls daprd logged as answered with an empty body (the bug's trace). */
  emptyBodies: number;
}

export async function runRepro(
  mode: ReproMode,
  options: { messages: number; flaps: number },
): Promise<ReproResult> {
  const dir = mkdtempSync(join(tmpdir(), `daprd-bug-${mode}-`));
  const redis = await startRedis(dir);
  const resources = join(dir, "resources");
  mkdirSync(resources);
  // A file each: daprd 1.18 reads only the first document of a file for a Resiliency.
  const [component, resiliency, subscription] = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: pubsub
spec:
  type: pubsub.redis
  version: v1
  metadata:
    - { name: redisHost, value: "127.0.0.1:${redis.port}" }
    - { name: concurrency, value: "16" }
    - { name: processingTimeout, value: "2s" }
    - { name: redeliverInterval, value: "1s" }
---
# Retry a failed delivery until it succeeds (Dapr's Redis pub/sub acknowledges a message
# whose retries ran out): only a failure reported as a success can lose a message.
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: forever
spec:
  policies:
    retries:
      forever: { policy: constant, duration: 200ms, maxRetries: -1 }
  targets:
    components:
      pubsub: { inbound: { retry: forever } }
---
apiVersion: dapr.io/v2alpha1
kind: Subscription
metadata:
  name: orders
spec:
  pubsubname: pubsub
  topic: orders
  routes: { default: /orders }
${mode === "bulk" ? "  bulkSubscribe: { enabled: true, maxMessagesCount: 50, maxAwaitDurationMs: 5 }\n" : ""}`.split(
    "---\n",
  );
  writeFileSync(join(resources, "pubsub.yaml"), component!);
  writeFileSync(join(resources, "resiliency.yaml"), resiliency!);
  writeFileSync(join(resources, "subscription.yaml"), subscription!);

  const seen = new Set<string>();
  const port = await freePort();
  const sockets = new Set<Socket>();
  const handler = (body: string): string => {
    const parsed = JSON.parse(body) as {
      id?: string;
      entries?: Array<{ entryId: string; event: { id: string } }>;
    };
    if (!parsed.entries) {
      seen.add(String(parsed.id));
      return JSON.stringify({ status: "SUCCESS" });
    }
    for (const entry of parsed.entries) seen.add(entry.event.id);
    return JSON.stringify({
      statuses: parsed.entries.map((entry) => ({ entryId: entry.entryId, status: "SUCCESS" })),
    });
  };
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          if (req.url === "/dapr/subscribe" || req.url === "/dapr/config") {
            res.writeHead(200, { "content-type": "application/json" }).end("[]");
            return;
          }
          // A little work per call, so that calls overlap.
          setTimeout(() => {
            res
              .writeHead(200, { "content-type": "application/json" })
              .end(handler(Buffer.concat(chunks).toString("utf8")));
          }, 2);
        });
      });
      server.keepAliveTimeout = 120_000;
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const goAway = () =>
    new Promise<void>((resolve) => {
      server?.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen();
  const daprd = await startDaprd({
    appId: "repro",
    appPort: port,
    resourcesDir: resources,
    dir,
    ...(mode === "single-1" ? { appMaxConcurrency: 1 } : {}),
  });
  try {
    const ids = Array.from({ length: options.messages }, (_, i) => `m-${i}`);
    const publishing = (async () => {
      for (let i = 0; i < ids.length; i += 32)
        await Promise.all(
          ids.slice(i, i + 32).map(async (id) => {
            const answer = await fetch(`${daprd.url}/v1.0/publish/pubsub/orders`, {
              method: "POST",
              headers: { "content-type": "application/cloudevents+json" },
              body: JSON.stringify({
                specversion: "1.0",
                id,
                source: "repro",
                type: "t",
                data: {},
              }),
            });
            if (answer.status !== 204) throw new Error(`publish ${id}: HTTP ${answer.status}`);
          }),
        );
    })();
    for (let flap = 0; flap < options.flaps; flap += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await goAway();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await listen();
    }
    await publishing;
    // Redelivery of what failed (processingTimeout 2 s, checked every second) until nothing
    // new arrives for 15 s.
    let last = -1;
    let quietSince = Date.now();
    while (seen.size < ids.length && Date.now() - quietSince < 15_000) {
      if (seen.size !== last) {
        last = seen.size;
        quietSince = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const log = readFileSync(daprdLog(dir, "repro"), "utf8");
    return {
      mode,
      published: ids.length,
      received: seen.size,
      lost: ids.filter((id) => !seen.has(id)).length,
      emptyBodies: (log.match(/empty response body/g) ?? []).length,
    };
  } finally {
    await daprd.stop();
    await goAway();
    await redis.stop();
    if (!process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const modes = (
    process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["single", "single-1", "bulk"]
  ) as ReproMode[];
  const messages = Number(process.env.REPRO_MESSAGES ?? 2_000);
  const flaps = Number(process.env.REPRO_FLAPS ?? 10);
  for (const mode of modes) {
    const result = await runRepro(mode, { messages, flaps });
    console.log(JSON.stringify(result));
  }
}
