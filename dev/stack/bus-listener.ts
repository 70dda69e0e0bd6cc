import type { Server } from "node:http";
import { listen } from "@symbiont/service-kit";
import { startDaprd, type Daprd } from "../harness/daprd.js";
import { freePort, waitUntil } from "../harness/probe.js";
import { writeResources, type PubsubKind } from "./service-stack.js";

// Another module on the bus, as tests see it: a real daprd sidecar with its own app-id that
// publishes as that module and records every CloudEvent delivered to it (one route per
// subscribed topic, answered SUCCESS).

export interface ReceivedEvent {
  id: string;
  type?: string;
  source?: string;
  data: Record<string, unknown>;
}

export interface BusListener {
  readonly daprd: Daprd;
  readonly received: Map<string, ReceivedEvent[]>;
  publish(topic: string, id: string, data: unknown): Promise<void>;
  /** Waits until an event of `topic` matches `accept` and returns it. */
  waitFor(
    topic: string,
    accept: (event: ReceivedEvent) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedEvent>;
  stop(): Promise<void>;
}

export async function startBusListener(options: {
  dir: string;
  appId: string;
  pubsubName: string;
  pubsub: PubsubKind;
  topics: string[];
}): Promise<BusListener> {
  const received = new Map<string, ReceivedEvent[]>();
  const port = await freePort();
  // Listening as the services do (the kit's listen): with Node's 5 s keep-alive a sidecar
  // reusing a connection as Node closes it fails that delivery, and this sidecar has no retries.
  const server: Server = await listen(
    (req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        const topic = decodeURIComponent((req.url ?? "").replace(/^\/events\//, ""));
        // Only deliveries are answered; daprd's other questions (/dapr/subscribe, /dapr/config)
        // get 404, which tells it the app has no programmatic subscriptions.
        if (req.method !== "POST" || !options.topics.includes(topic)) {
          res.writeHead(404).end();
          return;
        }
        const event = JSON.parse(body) as ReceivedEvent;
        received.set(topic, [...(received.get(topic) ?? []), event]);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "SUCCESS" }));
      });
    },
    port,
    "127.0.0.1",
  );
  const resourcesDir = writeResources(
    options.dir,
    options.appId,
    options.pubsubName,
    options.pubsub,
    options.topics,
  );
  const daprd = await startDaprd({
    appId: options.appId,
    appPort: port,
    resourcesDir,
    dir: options.dir,
  });
  return {
    daprd,
    received,
    async publish(topic, id, data) {
      const response = await fetch(`${daprd.url}/v1.0/publish/${options.pubsubName}/${topic}`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({
          specversion: "1.0",
          id,
          source: options.appId,
          type: topic,
          datacontenttype: "application/json",
          data,
        }),
      });
      if (response.status !== 204)
        throw new Error(`publish ${topic}: ${response.status} ${await response.text()}`);
    },
    async waitFor(topic, accept, timeoutMs = 30_000) {
      let found: ReceivedEvent | undefined;
      await waitUntil(
        `an event on ${topic}`,
        async () => {
          found = received.get(topic)?.find(accept);
          return found !== undefined;
        },
        { timeoutMs, intervalMs: 100 },
      );
      return found!;
    },
    async stop() {
      await daprd.stop();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
