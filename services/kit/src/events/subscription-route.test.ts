import type { AddressInfo } from "node:net";
import express from "express";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors/app-error.js";
import { createServiceMetrics } from "../metrics/service-metrics.js";
import type { ProcessedEvents } from "./processed-events.js";
import { subscriptionRoute } from "./subscription-route.js";

// A module's subscription route answers Dapr per event; a bulk delivery (the module's
// `subscribes[].bulk`) gets the same answer for each entry, in order.

/** The inbox in memory (the real one is proven against FerretDB by the modules' tests). */
function memoryInbox(): ProcessedEvents {
  const states = new Map<string, "processing" | "done">();
  return {
    async claim(id) {
      const state = states.get(id);
      if (state === "done") return "done";
      if (state === "processing") return "busy";
      states.set(id, "processing");
      return "claimed";
    },
    async complete(id) {
      states.set(id, "done");
    },
    async release(id) {
      states.delete(id);
    },
  };
}

describe("a module's subscription route", () => {
  const applied: number[] = [];
  let failNext = false;
  let base: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express()
      .use(express.json({ type: ["application/json", "application/cloudevents+json"] }))
      .use(
        subscriptionRoute(
          {
            topic: "order.placed",
            schema: z.object({ n: z.number().int() }),
            handle: async ({ n }) => {
              if (n < 0)
                throw new AppError({
                  status: 422,
                  code: "NegativeOrder",
                  message: "n must not be negative",
                });
              if (failNext) {
                failNext = false;
                throw new Error("database unavailable");
              }
              applied.push(n);
            },
          },
          {
            inbox: memoryInbox(),
            logger: pino({ level: "silent" }),
            metrics: createServiceMetrics({ defaultMetrics: false }),
          },
        ),
      );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const event = (id: string, n: unknown) => ({ id, specversion: "1.0", data: { n } });
  const post = async (body: unknown) => {
    const res = await fetch(`${base}/events/order.placed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const bulk = (events: unknown[]) => ({
    id: "b",
    type: "com.dapr.event.sent.bulk",
    topic: "order.placed",
    pubsubname: "acme-internal-bus",
    metadata: {},
    entries: events.map((e, i) => ({ entryId: `e${i}`, event: e, metadata: {} })),
  });

  it("when a single event arrives, then it is applied and answered SUCCESS", async () => {
    expect(await post(event("s-1", 1))).toEqual({ status: 200, body: { status: "SUCCESS" } });
    expect(applied).toEqual([1]);
  });

  it("when a bulk delivery arrives, then each entry is answered on its own and the good ones are applied once, in order", async () => {
    failNext = false;
    const answer = await post(
      bulk([
        event("b-2", 2),
        event("b-bad", "two"),
        event("b-neg", -1),
        event("b-3", 3),
        event("b-2", 2),
        event("s-1", 1),
      ]),
    );
    expect(answer).toEqual({
      status: 200,
      body: {
        statuses: [
          { entryId: "e0", status: "SUCCESS" },
          { entryId: "e1", status: "DROP" },
          { entryId: "e2", status: "DROP" },
          { entryId: "e3", status: "SUCCESS" },
          { entryId: "e4", status: "SUCCESS" },
          { entryId: "e5", status: "SUCCESS" },
        ],
      },
    });
    expect(applied).toEqual([1, 2, 3]);
  });

  it("when one entry of a bulk delivery fails for now, then only it is answered RETRY, and its redelivery applies it", async () => {
    failNext = true;
    expect(await post(bulk([event("r-4", 4), event("r-5", 5)]))).toEqual({
      status: 200,
      body: {
        statuses: [
          { entryId: "e0", status: "RETRY" },
          { entryId: "e1", status: "SUCCESS" },
        ],
      },
    });
    expect(await post(bulk([event("r-4", 4)]))).toMatchObject({
      body: { statuses: [{ entryId: "e0", status: "SUCCESS" }] },
    });
    expect(applied).toEqual([1, 2, 3, 5, 4]);
  });
});
