import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EcosystemModule } from "../api/ecosystem-module.types.js";
import { aModule, anEcosystem } from "../testing/fixtures.js";
import type { EcosystemObjects } from "../topology/ecosystem-view.js";
import { liveScript } from "../topology/topology-assets.js";
import { startTopologyServer, type TopologyServer } from "./topology-server.js";

// The server over real HTTP on a loopback port, fed by an in-memory list of objects (the
// operator feeds it from its informer caches; test/integration/topology-page.test.ts runs
// that against the real API server in a browser).

const objects: EcosystemObjects = {
  ecosystems: [anEcosystem()],
  modules: [aModule("crm")],
  partners: [],
  routes: [],
};
const listeners: Array<() => void> = [];
let topology: TopologyServer;
let base: string;

beforeAll(async () => {
  topology = await startTopologyServer(
    0,
    "127.0.0.1",
    {
      scope: "namespace shop",
      objects: () => objects,
      onChange: (listener) => listeners.push(listener),
    },
    { coalesceMs: 10 },
  );
  base = `http://127.0.0.1:${(topology.server.address() as AddressInfo).port}`;
});

afterAll(() => topology?.close());

/** Reads a stream's events until one matches. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  matches: (data: { html: string; summary: string }) => boolean,
) {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended; last: ${buffer}`);
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (block.includes("event: topology") && data) {
        const parsed = JSON.parse(data.slice(6));
        if (matches(parsed)) return parsed;
      }
    }
  }
}

describe("the topology server", () => {
  it("then the page is HTML whose only script is the live one, allowed by its hash", async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const hash = createHash("sha256").update(liveScript).digest("base64");
    const policy = response.headers.get("content-security-policy")!;
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
    expect(policy).toContain("default-src 'none'");
    const text = await response.text();
    expect(text).toContain(`<script>${liveScript}</script>`);
    expect(text).toContain("Watching namespace shop.");
  });

  it("when a module changes, then an open event stream gets the new fragment without a reload", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    // The state at connection time first.
    await nextEvent(reader, (d) => d.html.includes(">crm</p>"));
    const broken: EcosystemModule = {
      ...aModule("crm"),
      status: {
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "ImagePullFailed",
            message: "cannot pull",
            lastTransitionTime: "2026-01-01T00:00:00Z",
          },
        ],
      },
    };
    objects.modules = [broken];
    for (const listener of listeners) listener();
    const update = await nextEvent(reader, (d) => d.html.includes("Not ready: ImagePullFailed"));
    // The Ecosystem has no status yet: it counts as not Ready too.
    expect(update.summary).toBe("1 ecosystem(s), 1 module(s); 2 not Ready.");
    controller.abort();
  });

  it("then the view is also JSON", async () => {
    const body = (await (await fetch(`${base}/topology.json`)).json()) as {
      scope: string;
      ecosystems: Array<{ name: string; modules: Array<{ name: string }> }>;
    };
    expect(body.scope).toBe("namespace shop");
    expect(body.ecosystems[0]!.modules.map((m) => m.name)).toEqual(["crm"]);
  });

  it("when more streams open than allowed, then the extra one gets 503", async () => {
    const one = await startTopologyServer(
      0,
      "127.0.0.1",
      { scope: "x", objects: () => objects, onChange: () => undefined },
      { maxStreams: 1 },
    );
    const url = `http://127.0.0.1:${(one.server.address() as AddressInfo).port}/events`;
    const controller = new AbortController();
    expect((await fetch(url, { signal: controller.signal })).status).toBe(200);
    expect((await fetch(url)).status).toBe(503);
    controller.abort();
    await one.close();
  });

  it.each([
    ["POST", "/", 405],
    ["GET", "/secrets", 404],
  ])("when %s %s, then %i", async (method, path, status) => {
    expect((await fetch(`${base}${path}`, { method })).status).toBe(status);
  });
});
