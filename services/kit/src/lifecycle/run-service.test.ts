import { Agent, request } from "node:http";
import express from "express";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runService } from "./run-service.js";

// Shutdown lets requests in flight finish. A client that keeps sending on a kept-alive
// connection (a Dapr sidecar delivering all the time) must not hold it open for ever.

describe("a service shutting down", () => {
  it("when a client keeps sending on a kept-alive connection, then the shutdown still completes and every request it started is answered", async () => {
    const app = express();
    app.post("/work", (_req, res) => {
      setTimeout(() => res.json({ ok: true }), 5);
    });
    const steps: string[] = [];
    const service = await runService({
      app,
      port: 0,
      host: "127.0.0.1",
      logger: pino({ level: "silent" }),
      readiness: { checks: {}, draining: false },
      onShutdown: [async () => void steps.push("after close")],
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: "127.0.0.1", port: service.port, path: "/work", method: "POST", agent },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end();
      });
    let sending = true;
    const answers: number[] = [];
    const failures: unknown[] = [];
    const client = (async () => {
      while (sending) {
        try {
          answers.push(await send());
        } catch (error) {
          // Refused once the server no longer listens: the sidecar would retry elsewhere.
          failures.push(error);
          break;
        }
      }
    })();
    while (answers.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    await service.shutdown("test");
    sending = false;
    await client;
    agent.destroy();
    expect(steps).toEqual(["after close"]);
    expect(answers.length).toBeGreaterThanOrEqual(5);
    expect(answers.every((status) => status === 200)).toBe(true);
  }, 20_000);
});
