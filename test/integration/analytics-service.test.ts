import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { listen } from "@symbiont/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { salesDataset } from "../../dev/datasets/sales-dataset.js";
import { startDaprd, type Daprd } from "../../dev/harness/daprd.js";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { waitUntil } from "../../dev/harness/probe.js";
import {
  call,
  startModule,
  writeResources,
  type RunningModule,
} from "../../dev/stack/service-stack.js";

// Analytics (MISSION C5) as a separate process with its sidecar on a real RabbitMQ: the
// ecosystem's events come over the bus (an order paid through the acquirer lands in the cash
// flow once), the reports API answers only known callers, bad input is refused by field, the
// figures survive a rebuild from the event log, and offers and audience segments leave
// through the bus to a subscriber.

const run = randomBytes(3).toString("hex");
const bus = `test-${run}-internal-bus`;
const tokens = { reader: `r-${run}`, planner: `p-${run}`, admin: `a-${run}` };
const sha = (token: string) => createHash("sha256").update(token).digest("hex");
const auth = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });
const dayMs = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * dayMs).toISOString().slice(0, 10);

let dir: string;
let ferret: FerretDb;
let analytics: RunningModule;
let moduleOptions: Parameters<typeof startModule>[0];
let marketplace: Daprd;
let frontOffice: Daprd;
let sink: Server;
let db: Connection;
const received: Array<{ topic: string; id: string; data: Record<string, unknown> }> = [];
const historyStart = daysAgo(120);

async function publish(topic: string, id: string, data: unknown): Promise<void> {
  const response = await fetch(`${marketplace.url}/v1.0/publish/${bus}/${topic}`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ specversion: "1.0", id, source: "marketplace", type: topic, data }),
  });
  expect(response.status).toBe(204);
}

const get = <T>(path: string, role: keyof typeof tokens = "reader") =>
  call<T>("GET", `${analytics.url}${path}`, undefined, auth(role));
const collected = async () =>
  (await get<{ events: number; byTopic: Record<string, number> }>("/reports/collected")).body;

interface CashFlow {
  rows: Array<{ period: string; inflow: number; payments: number; net: number }>;
  totals: { inflow: number; payments: number; refunds: number; net: number };
}
interface Failure {
  error: { code: string; field?: string; message: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-analytics-"));
  ferret = await startFerretDb({ dir, backend: "sqlite" });
  const topics = [
    "mdm.item.changed",
    "customer.created",
    "touchpoint.recorded",
    "order.created",
    "order.paid",
    "payment.succeeded",
  ];
  moduleOptions = {
    service: "analytics",
    appId: `analytics-${run}`,
    dir,
    databaseUrl: `${ferret.uri}analytics`,
    pubsubName: bus,
    pubsub: "rabbitmq",
    subscribes: topics,
    env: {
      ANALYTICS_CALLERS: Object.entries(tokens)
        .map(([role, token]) => `${role}-caller:${role}:${sha(token)}`)
        .join("\n"),
      MAX_BODY_BYTES: "4194304",
    },
  };
  analytics = await startModule(moduleOptions);
  // The marketplace's sidecar, only publishing, and a front office that records what arrives.
  marketplace = await startDaprd({
    appId: `marketplace-${run}`,
    resourcesDir: writeResources(dir, `marketplace-${run}`, bus, "rabbitmq", []),
    dir,
  });
  // As a service listens (the kit's listen): a sidecar reusing an idle connection as Node's
  // 5 s keep-alive closes it would fail a delivery.
  sink = await listen(
    (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.method === "POST" && req.url?.startsWith("/events/")) {
          const event = JSON.parse(body) as { id: string; data: Record<string, unknown> };
          received.push({
            topic: req.url.slice("/events/".length),
            id: event.id,
            data: event.data,
          });
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/dapr/subscribe" ? "[]" : '{"status":"SUCCESS"}');
      });
    },
    0,
    "127.0.0.1",
  );
  frontOffice = await startDaprd({
    appId: `front-office-${run}`,
    appPort: (sink.address() as AddressInfo).port,
    resourcesDir: writeResources(dir, `front-office-${run}`, bus, "rabbitmq", [
      "offer.suggested",
      "audience.segment.exported",
    ]),
    dir,
  });
  db = await mongoose.createConnection(`${ferret.uri}analytics`).asPromise();
  // A company's last 120 days, imported as history in batches.
  const { events } = salesDataset({
    seed: 3,
    start: historyStart,
    days: 119,
    ordersPerDay: 5,
    customers: 120,
  });
  const all = [...events];
  for (let i = 0; i < all.length; i += 1_000) {
    const answer = await call<{ applied: number }>(
      "POST",
      `${analytics.url}/admin/events`,
      { events: all.slice(i, i + 1_000) },
      auth("admin"),
    );
    expect(answer.status).toBe(200);
  }
});

afterAll(async () => {
  await db?.close();
  await frontOffice?.stop();
  sink?.close();
  await marketplace?.stop();
  await analytics?.stop();
  await ferret?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("analytics over the internal bus", () => {
  it("when an order is paid through the acquirer, then its payment shows in today's cash flow once, though the acquirer and the marketplace both report it", async () => {
    const query = `/reports/cash-flow?from=${today}&to=${today}`;
    const before = (await get<CashFlow>(query)).body.totals;
    const collectedBefore = (await collected()).byTopic;
    // As the marketplace and the acquiring partner publish them (docs/module-contract.md).
    const orderId = `0a0a0a0a-0000-4000-8000-${run.padStart(12, "0")}`;
    const now = new Date().toISOString();
    const sale = {
      orderId,
      partnerId: "partner-1",
      customerId: `cust-${run}`,
      offerId: orderId,
      category: "services",
      amount: 1234.5,
      currency: "RUB",
    };
    await publish("order.created", `order.created:${orderId}`, {
      ...sale,
      requestId: `req-${run}`,
      offerVersion: 1,
      title: "Moving service",
      unit: "move",
      quantity: 1,
      unitPrice: 1234.5,
      commission: 123.45,
      status: "awaiting_payment",
      createdAt: now,
    });
    await publish("payment.succeeded", `payment.succeeded:pay-${run}`, {
      paymentId: `pay-${run}`,
      orderId,
      amount: 1234.5,
      currency: "RUB",
      acquirerRef: `acq-${run}`,
      paidAt: now,
    });
    await publish("order.paid", `order.paid:${orderId}`, {
      ...sale,
      paymentId: `pay-${run}`,
      commission: 123.45,
      partnerPayout: 1111.05,
      acquirerRef: `acq-${run}`,
      paidAt: now,
    });
    const totals = async () => (await get<CashFlow>(query)).body.totals;
    await waitUntil(
      "the payment in the cash flow",
      async () => (await totals()).payments > before.payments,
      {
        timeoutMs: 30_000,
      },
    );
    // Both reports of the payment were applied; it is still one payment.
    await waitUntil(
      "both reports of the payment applied",
      async () => {
        const { byTopic } = await collected();
        return ["order.paid", "payment.succeeded"].every(
          (topic) => byTopic[topic] === (collectedBefore[topic] ?? 0) + 1,
        );
      },
      { timeoutMs: 30_000 },
    );
    expect(await totals()).toEqual({
      ...before,
      inflow: Math.round((before.inflow + 1234.5) * 100) / 100,
      net: Math.round((before.net + 1234.5) * 100) / 100,
      payments: before.payments + 1,
    });
  });

  it("when the same event is delivered again, then it is recognised and nothing changes", async () => {
    const query = `/reports/cash-flow?from=${historyStart}&to=${today}`;
    const before = (await get<CashFlow>(query)).body;
    const again = await call(
      "POST",
      `${analytics.url}/events/order.paid`,
      {
        specversion: "1.0",
        id: `order.paid:0a0a0a0a-0000-4000-8000-${run.padStart(12, "0")}`,
        data: {
          orderId: "o",
          customerId: "c",
          category: "x",
          amount: 1,
          currency: "RUB",
          paidAt: new Date().toISOString(),
        },
      },
      { "content-type": "application/cloudevents+json" },
    );
    expect(again).toEqual({ status: 200, body: { status: "SUCCESS" } });
    expect((await get<CashFlow>(query)).body).toEqual(before);
    const metrics = await (await fetch(`${analytics.url}/metrics`)).text();
    expect(metrics).toMatch(
      /symbiont_events_received_total\{topic="order.paid",result="duplicate"\} [1-9]/,
    );
  });

  it("when an event cannot be read, then analytics answers DROP and keeps it as a dead letter with the reason", async () => {
    const before = await collected();
    const answer = await call(
      "POST",
      `${analytics.url}/events/order.paid`,
      {
        specversion: "1.0",
        id: `bad-${run}`,
        data: {
          orderId: "0b0b0b0b-0000-4000-8000-000000000001",
          paymentId: "p",
          partnerId: "partner-1",
          customerId: "c",
          offerId: "0b0b0b0b-0000-4000-8000-000000000002",
          category: "x",
          amount: "lots",
          currency: "RUB",
          commission: 0,
          partnerPayout: 0,
          acquirerRef: "a",
          paidAt: new Date().toISOString(),
        },
      },
      { "content-type": "application/cloudevents+json" },
    );
    expect(answer).toEqual({ status: 200, body: { status: "DROP" } });
    const { body } = await get<{
      deadLetters: Array<{ _id: string; reason: string; field: string }>;
    }>("/admin/dead-letters?topic=order.paid", "admin");
    expect(body.deadLetters).toContainEqual(
      expect.objectContaining({ _id: `bad-${run}`, field: "event.amount" }),
    );
    expect(await collected()).toEqual(before);
  });

  it("when every figure is rebuilt from the event log, then the reports are the same as before", async () => {
    const paths = [
      `/reports/cash-flow?from=${historyStart}&to=${today}&granularity=week`,
      `/reports/deals-by-channel?from=${historyStart}&to=${today}`,
      `/reports/funnel?from=${historyStart}&to=${today}`,
      `/reports/team-performance?from=${historyStart}&to=${today}`,
    ];
    const before = await Promise.all(paths.map((path) => get(path)));
    const rebuilt = await call<{ events: number; unreadable: number }>(
      "POST",
      `${analytics.url}/admin/rebuild`,
      undefined,
      auth("admin"),
    );
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.events).toBe((await collected()).events);
    expect(rebuilt.body.unreadable).toBe(0);
    expect(await Promise.all(paths.map((path) => get(path)))).toEqual(before);
    expect((before[0]!.body as CashFlow).totals.payments).toBeGreaterThan(100);
  });
});

describe("a restart", () => {
  it("when analytics restarts with an event in two pages of its log (a merge cut short), then it rebuilds the same figures", async () => {
    const paths = [
      `/reports/cash-flow?from=${historyStart}&to=${today}`,
      `/reports/funnel?from=${historyStart}&to=${today}`,
      "/reports/collected",
    ];
    const before = await Promise.all(paths.map((path) => get(path)));
    const log = db.collection<{ _id: string; size: number }>("analytics_log");
    const page = await log.findOne({ size: { $gte: 100 } });
    await log.insertOne({ ...page!, _id: `${page!._id}-again` });
    await analytics.stop();
    analytics = await startModule(moduleOptions);
    expect(await Promise.all(paths.map((path) => get(path)))).toEqual(before);
  });
});

describe("the reports API", () => {
  it.each([
    "/reports/cash-flow",
    "/reports/funnel",
    "/reports/page",
    "/forecasts/income",
    "/plans",
    "/segments",
  ])("when %s is called without credentials, then it is refused with 401", async (path) => {
    const answer = await call<Failure>("GET", `${analytics.url}${path}`);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("Unauthenticated");
    const wrong = await call<Failure>("GET", `${analytics.url}${path}`, undefined, {
      authorization: "Bearer not-a-token",
    });
    expect(wrong.status).toBe(401);
  });

  it("when the sidecar asks for programmatic subscriptions, then it is not refused for credentials (there are none: subscriptions are declarative)", async () => {
    const answer = await call<Failure>("GET", `${analytics.url}/dapr/subscribe`);
    expect(answer.status).toBe(404);
  });

  it("when a reader tries to enter a plan or rebuild, then it is refused with 403 and nothing is stored", async () => {
    const plan = await call<Failure>(
      "PUT",
      `${analytics.url}/plans/q-reader`,
      { metric: "orders", period: "2026-Q4", target: 10 },
      auth("reader"),
    );
    expect(plan.status).toBe(403);
    const rebuild = await call<Failure>(
      "POST",
      `${analytics.url}/admin/rebuild`,
      undefined,
      auth("planner"),
    );
    expect(rebuild.status).toBe(403);
    expect(await db.collection("plans").countDocuments({ _id: "q-reader" as never })).toBe(0);
  });

  it.each([
    ["from=2026-12-10&to=2026-12-01", "query.to", "must not be before from"],
    ["from=2026-02-30", "query.from", "expected a date as YYYY-MM-DD"],
    ["granularity=hour", "query.granularity", ""],
    ["currency=rub", "query.currency", "ISO 4217"],
    ["from=2020-01-01&to=2026-01-01", "query.to", "at most 1096 days"],
    ["colour=red", "query.colour", "unknown field"],
  ])(
    "when a report is asked with %s, then it answers 400 naming %s",
    async (query, field, message) => {
      const answer = await get<Failure>(`/reports/cash-flow?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.field).toBe(field);
      expect(answer.body.error.message).toContain(message);
    },
  );

  it.each([
    [{ metric: "income", period: "2026-13", target: 1 }, "body.period", "a month is 01 to 12"],
    [
      { metric: "income", period: "2026-12-20/2026-12-01", target: 1 },
      "body.period",
      "ends before it starts",
    ],
    [{ metric: "income", period: "Q4", target: 1 }, "body.period", "expected a year"],
    [{ metric: "orders", period: "2026-12", target: 2.5 }, "body.target", "whole number"],
    [
      { metric: "orders", period: "2026-12", target: 2, currency: "RUB" },
      "body.currency",
      "only an income plan",
    ],
    [{ metric: "income", period: "2026-12", target: -1 }, "body.target", ""],
  ])(
    "when a plan %j is entered, then it answers 400 naming %s and stores nothing",
    async (plan, field, message) => {
      const answer = await call<Failure>(
        "PUT",
        `${analytics.url}/plans/bad-plan`,
        plan,
        auth("planner"),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.error.field).toBe(field);
      expect(answer.body.error.message).toContain(message);
      expect(await db.collection("plans").countDocuments({ _id: "bad-plan" as never })).toBe(0);
    },
  );

  it("when a planner enters this month's income plan, then plan-vs-fact sets it against the month's net income so far", async () => {
    const month = today.slice(0, 7);
    const saved = await call<{ version: number; updatedBy: string }>(
      "PUT",
      `${analytics.url}/plans/income-month`,
      { metric: "income", period: month, target: 1_000_000, title: "Income this month" },
      auth("planner"),
    );
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ version: 1, updatedBy: "planner-caller" });
    const cash = await get<CashFlow>(
      `/reports/cash-flow?from=${month}-01&to=${today}&granularity=month`,
    );
    const report = await get<{
      rows: Array<{ planId: string; fact: number; target: number; pace: string }>;
    }>("/reports/plan-vs-fact");
    expect(report.body.rows).toContainEqual(
      expect.objectContaining({
        planId: "income-month",
        target: 1_000_000,
        fact: cash.body.totals.net,
      }),
    );
  });

  it("when a report is asked as CSV, then it is a download with a header and a row per day", async () => {
    const response = await fetch(
      `${analytics.url}/reports/cash-flow?from=${daysAgo(6)}&to=${today}&format=csv`,
      { headers: auth("reader") },
    );
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("period,inflow,outflow,net,payments,refunds");
    expect(lines).toHaveLength(8);
  });

  it("when income is forecast from the history, then it has a band and a back-test against the naive forecast", async () => {
    const answer = await get<{
      forecast: Array<{ value: number; low: number; high: number }>;
      backtest: { mape: number; naiveMape: number; folds: number };
    }>("/forecasts/income?horizon=14");
    expect(answer.status).toBe(200);
    expect(answer.body.forecast).toHaveLength(14);
    for (const point of answer.body.forecast) expect(point.low).toBeLessThanOrEqual(point.high);
    expect(answer.body.backtest.folds).toBe(3);
    const monthly = await get<Failure>("/forecasts/income?granularity=month");
    expect(monthly.status).toBe(422);
    expect(monthly.body.error.code).toBe("InsufficientHistory");
  });

  it("when a person opens the report page with the browser's Basic login, then it is HTML with the charts", async () => {
    const basic = Buffer.from(`reader-caller:${tokens.reader}`).toString("base64");
    const response = await fetch(`${analytics.url}/reports/page`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<h2 id="cash-h">Cash flow</h2>');
    expect(page).toContain("Income this month");
    expect(page.match(/<svg /g)).toHaveLength(3);
    const anonymous = await fetch(`${analytics.url}/reports/page`);
    expect(anonymous.headers.get("www-authenticate")).toContain("Basic");
  });
});

describe("next offers and audiences", () => {
  it("when someone interested in real estate has no car, then offer.suggested for a car reaches the front office", async () => {
    const flat = {
      id: "0a0a0a0a-0000-4000-8000-00000000f1a7",
      sku: `FLAT-${run}`,
      name: "Flat",
      category: "real-estate",
      status: "active",
      version: 1,
    };
    await publish("mdm.item.changed", `mdm.item.changed:${flat.id}:1`, {
      change: "created",
      item: flat,
    });
    const customerId = `seeker-${run}`;
    await publish("customer.created", `customer.created:${customerId}`, {
      profile: {
        id: customerId,
        version: 1,
        status: "active",
        keys: [`email:seeker-${run}@example.com`],
        interests: [flat.id],
        consent: { email: { granted: true } },
      },
    });
    await waitUntil(
      "offer.suggested at the front office",
      async () =>
        received.some((e) => e.topic === "offer.suggested" && e.data.customerId === customerId),
      { timeoutMs: 30_000 },
    );
    const offer = received.find(
      (e) => e.topic === "offer.suggested" && e.data.customerId === customerId,
    )!;
    expect(offer.id).toBe(`offer.suggested:${customerId}:car-for-home-seekers`);
    expect(offer.data).toMatchObject({ rule: "car-for-home-seekers", offer: { category: "car" } });
  });

  it("when the home-seekers segment is exported, then the front office receives hashed identifiers only of people who allowed contact", async () => {
    const exported = await call<{ exportId: string; size: number }>(
      "POST",
      `${analytics.url}/segments/car-for-home-seekers/export`,
      undefined,
      auth("admin"),
    );
    expect(exported.status).toBe(202);
    await waitUntil(
      "the segment at the front office",
      async () =>
        received.some(
          (e) =>
            e.topic === "audience.segment.exported" && e.data.exportId === exported.body.exportId,
        ),
      { timeoutMs: 30_000 },
    );
    const parts = received.filter((e) => e.data.exportId === exported.body.exportId);
    const members = parts.flatMap((e) => e.data.members as Array<Record<string, string>>);
    expect(members).toHaveLength(exported.body.size);
    expect(members).toContainEqual({
      customerId: `seeker-${run}`,
      emailSha256: sha(`seeker-${run}@example.com`),
    });
    expect(JSON.stringify(parts)).not.toContain("@example.com");
  });
});
