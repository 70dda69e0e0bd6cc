import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";

// The master data API (MISSION C1) as a client sees it, on a real MongoDB-wire database.

const run = randomBytes(3).toString("hex");
let dir: string;
let ferret: FerretDb;
let mdm: RunningModule;
let db: Connection;

interface Item {
  id: string;
  version: number;
  name: string;
  status: string;
}
interface Failure {
  error: { code: string; field?: string; message: string };
}

const tv = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: "Smart TV 55",
  category: "tv",
  status: "active",
  price: { amount: 499.9, currency: "EUR" },
  attributes: { color: "black", size: 55 },
  ...extra,
});

async function stored(): Promise<number> {
  const [items, versions, outbox] = await Promise.all(
    ["items", "item_versions", "outbox"].map((c) => db.collection(c).countDocuments()),
  );
  return items! + versions! + outbox!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-mdm-api-"));
  ferret = await startFerretDb({ dir, backend: "sqlite" });
  mdm = await startModule({
    service: "mdm",
    appId: `mdm-${run}`,
    dir,
    databaseUrl: `${ferret.uri}mdm`,
    pubsubName: `test-${run}-internal-bus`,
    pubsub: "in-memory",
    // The outbox is kept until the sidecar takes the event: a long relay keeps counts stable.
    env: { OUTBOX_RELAY_INTERVAL_MS: "600000", MAX_BODY_BYTES: "4096" },
  });
  db = await mongoose.createConnection(`${ferret.uri}mdm`).asPromise();
});

afterAll(async () => {
  await db?.close();
  await mdm?.stop();
  await ferret?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("MDM catalog API", () => {
  it("when an item is changed twice, then each change is a version in its history", async () => {
    const created = await call<Item>("POST", `${mdm.url}/items`, tv(`TV-${run}-1`));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const second = await call<Item>("PUT", `${mdm.url}/items/${id}`, {
      ...tv(`TV-${run}-1`),
      version: 1,
      name: "Smart TV 55 Pro",
    });
    const third = await call<Item>("PUT", `${mdm.url}/items/${id}`, {
      ...tv(`TV-${run}-1`),
      version: 2,
      name: "Smart TV 55 Pro",
      status: "archived",
    });
    expect([second.body.version, third.body.version]).toEqual([2, 3]);
    const history = await call<{ versions: Array<{ version: number; item: Item }> }>(
      "GET",
      `${mdm.url}/items/${id}/versions`,
    );
    expect(history.body.versions.map((v) => [v.version, v.item.name, v.item.status])).toEqual([
      [3, "Smart TV 55 Pro", "archived"],
      [2, "Smart TV 55 Pro", "active"],
      [1, "Smart TV 55", "active"],
    ]);
  });

  it("when a stale version is sent, then 409 and the item is unchanged", async () => {
    const created = await call<Item>("POST", `${mdm.url}/items`, tv(`TV-${run}-2`));
    const id = created.body.id;
    await call("PUT", `${mdm.url}/items/${id}`, {
      ...tv(`TV-${run}-2`),
      version: 1,
      name: "First writer",
    });
    const stale = await call<Failure & { error: { details: { currentVersion: number } } }>(
      "PUT",
      `${mdm.url}/items/${id}`,
      {
        ...tv(`TV-${run}-2`),
        version: 1,
        name: "Second writer",
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: "VersionConflict",
      details: { currentVersion: 2 },
    });
    expect((await call<Item>("GET", `${mdm.url}/items/${id}`)).body).toMatchObject({
      name: "First writer",
      version: 2,
    });
  });

  it("when a dictionary is created and changed with a stale version, then 409 and its history has one version", async () => {
    const code = `units-${run}`;
    const created = await call("POST", `${mdm.url}/dictionaries`, {
      code,
      title: "Units",
      entries: [{ code: "pcs", label: "piece" }],
    });
    expect(created.status).toBe(201);
    const stale = await call("PUT", `${mdm.url}/dictionaries/${code}`, {
      version: 7,
      title: "Units",
      entries: [],
    });
    expect(stale.status).toBe(409);
    const history = await call<{ versions: unknown[] }>(
      "GET",
      `${mdm.url}/dictionaries/${code}/versions`,
    );
    expect(history.body.versions).toHaveLength(1);
  });

  it("when the catalog is searched by words, category and attribute, then only matching items come back, a page at a time", async () => {
    for (let i = 0; i < 5; i++) {
      await call("POST", `${mdm.url}/items`, {
        sku: `LAMP-${run}-${i}`,
        name: `Desk lamp ${i}`,
        category: `lighting-${run}`,
        status: "active",
        attributes: { color: i % 2 === 0 ? "white" : "red" },
      });
    }
    type Page = { items: Item[]; total: number; page: number };
    const white = await call<Page>(
      "GET",
      `${mdm.url}/items?q=desk%20lam&category=lighting-${run}&attr.color=White&pageSize=2`,
    );
    expect(white.body.total).toBe(3);
    expect(white.body.items.map((i) => i.name)).toEqual(["Desk lamp 0", "Desk lamp 2"]);
    const page2 = await call<Page>(
      "GET",
      `${mdm.url}/items?q=desk&category=lighting-${run}&attr.color=white&pageSize=2&page=2`,
    );
    expect(page2.body.items.map((i) => i.name)).toEqual(["Desk lamp 4"]);
  });

  it("when an index backs each search filter, then the collection has them", async () => {
    const indexes = (await db.collection("items").indexes()).map((i) =>
      Object.keys(i.key).join(","),
    );
    expect(indexes).toEqual(
      expect.arrayContaining(["sku", "terms", "attributePairs", "category,status,name"]),
    );
  });
});

describe("MDM refuses bad input with the field named and stores nothing", () => {
  it.each([
    [
      "a personal field",
      tv("P-1", { email: "anna@example.com" }),
      400,
      "PersonalDataRefused",
      "body.email",
    ],
    [
      "a personal attribute",
      tv("P-2", { attributes: { customerPhone: "+7 912" } }),
      400,
      "PersonalDataRefused",
      "body.attributes.customerPhone",
    ],
    [
      "an e-mail in a text",
      tv("P-3", { description: "owner: anna@example.com" }),
      400,
      "PersonalDataRefused",
      "body.description",
    ],
    ["an unknown field", tv("P-4", { discount: 5 }), 400, "InvalidInput", "body.discount"],
    [
      "a wrong type",
      tv("P-5", { price: { amount: "free", currency: "EUR" } }),
      400,
      "InvalidInput",
      "body.price.amount",
    ],
    [
      "an operator as a key",
      tv("P-6", { attributes: { $where: "1" } }),
      400,
      "InvalidInput",
      "body.attributes.$where",
    ],
    [
      "a key with a dot",
      tv("P-7", { attributes: { "a.b": "1" } }),
      400,
      "InvalidInput",
      "body.attributes.a.b",
    ],
    ["a too long name", tv("P-8", { name: "x".repeat(201) }), 400, "InvalidInput", "body.name"],
    ["a malformed body", '{"sku": "P-9",', 400, "MalformedBody", "body"],
    [
      "an oversized body",
      tv("P-10", { description: "y".repeat(5_000) }),
      413,
      "PayloadTooLarge",
      "body",
    ],
  ])(
    "when the body has %s, then it is refused with the field named",
    async (_case, body, status, code, field) => {
      const before = await stored();
      const answer = await call<Failure>("POST", `${mdm.url}/items`, body);
      expect(answer.status).toBe(status);
      expect(answer.body.error.code).toBe(code);
      expect(answer.body.error.field).toBe(field);
      expect(await stored()).toBe(before);
    },
  );

  it.each([
    ["category[$ne]=x", "query.category[$ne]"],
    ["category=%24ne", "query.category"],
    ["q=%7B%22%24gt%22%3A%22%22%7D", "query.q"],
    ["q=tv'%3B%20DROP%20TABLE%20items", "query.q"],
    ["attr.color=.*", "query.attr.color"],
    ["attr.%24where=1", "query.attr.$where"],
  ])("when the search filter is %s, then 400 names %s", async (query, field) => {
    const answer = await call<Failure>("GET", `${mdm.url}/items?${query}`);
    expect([answer.status, answer.body.error.field]).toEqual([400, field]);
  });
});
