import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJsonSchema } from "@symbiont/contracts";
import { createObjectStore, type ObjectStore } from "@symbiont/files";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import {
  docxType,
  sampleDocx,
  sampleJpeg,
  samplePdf,
  sampleXlsx,
  xlsxType,
} from "../../dev/datasets/sample-documents.js";
import { startBusListener, type BusListener } from "../../dev/stack/bus-listener.js";
import { startFilesStack, type FilesStack } from "../../dev/stack/files-stack.js";

// The files module (MISSION C3) as its clients see it, on a real S3 store (SeaweedFS), a
// real MongoDB-wire database (FerretDB) and a real bus (RabbitMQ through daprd): sandboxes
// and rights, versions, search in Russian and English over generated documents, bad input
// that leaves nothing behind, and generated contracts arriving from processes as events.

const run = randomBytes(3).toString("hex");
const bus = `test-${run}-internal-bus`;
const maxFileBytes = 256 * 1024;
let dir: string;
let stack: FilesStack;
let processes: BusListener;
let db: Connection;
let objects: ObjectStore;
const tokens: Record<string, string> = {};

interface Failure {
  error: { code: string; field?: string; message: string };
}
interface Stored {
  fileId: string;
  path: string;
  version: number;
  sha256: string;
  size: number;
  restoredFrom?: number;
  author: { kind: string; id: string; partner?: string };
}

async function api<T = unknown>(
  method: string,
  path: string,
  as: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = as ? { authorization: `Bearer ${tokens[as]}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** PUT through node:http, which sends the path as written (fetch would resolve ".."). */
function upload<T = Stored>(
  as: string,
  sandbox: string,
  path: string,
  type: string,
  bytes: Buffer,
  query = "",
): Promise<{ status: number; body: T }> {
  return new Promise((resolveUpload, reject) => {
    const { hostname, port } = new URL(stack.url);
    const req = httpRequest(
      {
        hostname,
        port,
        // Non-ASCII and spaces escaped; what the test writes escaped (%2F, %00) stays as it is.
        path: `/sandboxes/${sandbox}/files/${path.replace(/[^\x21-\x7e]/gu, encodeURIComponent)}${query}`,
        method: "PUT",
        headers: {
          authorization: `Bearer ${tokens[as]}`,
          "content-type": type,
          "content-length": bytes.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolveUpload({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as T,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(bytes);
  });
}

async function download(as: string, sandbox: string, path: string, query = "") {
  const response = await fetch(`${stack.url}/sandboxes/${sandbox}/files/${path}${query}`, {
    headers: { authorization: `Bearer ${tokens[as]}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

async function search(as: string, q: string): Promise<string[]> {
  const { status, body } = await api<{ hits: Array<{ sandbox: string; path: string }> }>(
    "GET",
    `/search?q=${encodeURIComponent(q)}`,
    as,
  );
  expect(status).toBe(200);
  return body.hits.map((h) => `${h.sandbox}/${h.path}`);
}

/** Everything stored: file and version documents and objects in the bucket. */
async function storedCounts() {
  let objectCount = 0;
  for await (const page of objects.list("objects/")) objectCount += page.length;
  const [files, versions] = await Promise.all([
    db.collection("files").countDocuments({ currentVersion: { $gte: 1 } }),
    db.collection("file_versions").countDocuments(),
  ]);
  return { files, versions, objects: objectCount };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-files-"));
  stack = await startFilesStack({
    dir,
    appId: `files-${run}`,
    pubsubName: bus,
    pubsub: "rabbitmq",
    env: {
      FILES_MAX_FILE_BYTES: String(maxFileBytes),
      FILES_PROCESS_SANDBOX_OWNERS: "team:legal",
      // The crash test's two paths die at two points of their writes.
      FILES_CRASH_AT: "content-stored@crash/a.txt,version-committed@crash/b.txt",
    },
  });
  processes = await startBusListener({
    dir,
    appId: `processes-${run}`,
    pubsubName: bus,
    pubsub: "rabbitmq",
    topics: ["file.uploaded", "file.versioned", "file.shared"],
  });
  db = await mongoose.createConnection(stack.databaseUrl).asPromise();
  objects = createObjectStore({
    endpoint: stack.seaweed.endpoint,
    region: "us-east-1",
    bucket: stack.bucket,
    accessKeyId: stack.seaweed.accessKeyId,
    secretAccessKey: stack.seaweed.secretAccessKey,
    forcePathStyle: true,
  });
  tokens.anna = await stack.token({ kind: "internal", sub: "anna", teams: ["legal"] });
  tokens.boris = await stack.token({ kind: "internal", sub: "boris", teams: ["sales"] });
  tokens.acme = await stack.token({ kind: "partner", sub: "olga", partner: "acme" });
  tokens.globex = await stack.token({ kind: "partner", sub: "zoe", partner: "globex" });
  for (const [id, partner] of [
    [`acme-${run}`, "acme"],
    [`globex-${run}`, "globex"],
  ] as const) {
    const created = await api("POST", "/sandboxes", "anna", {
      id,
      kind: "partner",
      title: `Documents exchanged with ${partner}`,
      grants: [{ principal: `partner:${partner}`, rights: ["read", "write"] }],
    });
    expect(created.status).toBe(201);
  }
  const team = await api("POST", "/sandboxes", "anna", {
    id: `legal-${run}`,
    kind: "team",
    title: "Legal",
    grants: [{ principal: "team:legal", rights: ["read", "write"] }],
  });
  expect(team.status).toBe(201);
});

afterAll(async () => {
  objects?.close();
  await db?.close();
  await processes?.stop();
  await stack?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("files: who may call", () => {
  it("when a call has no token or a forged one, then it is a 401 and says why", async () => {
    const none = await api<Failure>("GET", "/sandboxes", undefined);
    expect([none.status, none.body.error.code]).toEqual([401, "Unauthenticated"]);
    const forged = await fetch(`${stack.url}/search?q=x`, {
      headers: { authorization: `Bearer ${tokens.anna!.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);
  });

  it("when an event is posted to the service without the sidecar's token, then it is refused", async () => {
    const response = await fetch(`${stack.url}/events/document.generated`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "forged", data: {} }),
    });
    expect(response.status).toBe(401);
  });

  it("when a partner tries to make a sandbox, then 403", async () => {
    const made = await api<Failure>("POST", "/sandboxes", "acme", {
      id: `acme-own-${run}`,
      kind: "partner",
      title: "mine",
    });
    expect([made.status, made.body.error.code]).toEqual([403, "Forbidden"]);
  });
});

describe("files: sandboxes keep partners apart", () => {
  it("when a partner reads another partner's sandbox, then 403 and its files stay unseen", async () => {
    const secret = Buffer.from("Globex price list: secret margin 42%");
    expect(
      (await upload("globex", `globex-${run}`, "prices.txt", "text/plain", secret)).status,
    ).toBe(201);
    expect(
      (await upload("acme", `acme-${run}`, "offer.txt", "text/plain", Buffer.from("Acme offer")))
        .status,
    ).toBe(201);

    const read = await download("acme", `globex-${run}`, "prices.txt");
    expect(read.status).toBe(403);
    expect(read.bytes.toString()).not.toContain("margin");
    const list = await api<Failure>("GET", `/sandboxes/globex-${run}/files`, "acme");
    expect([list.status, list.body.error.code]).toEqual([403, "Forbidden"]);
    expect(list.body.error.message).toContain(`no read right on sandbox globex-${run}`);
    const write = await upload<Failure>(
      "acme",
      `globex-${run}`,
      "prices.txt",
      "text/plain",
      Buffer.from("x"),
    );
    expect(write.status).toBe(403);
    expect(await search("acme", "margin")).toEqual([]);
    expect(await search("globex", "margin")).toEqual([`globex-${run}/prices.txt`]);
    const sandboxes = await api<{ sandboxes: Array<{ id: string }> }>("GET", "/sandboxes", "acme");
    expect(sandboxes.body.sandboxes.map((s) => s.id)).toEqual([`acme-${run}`]);
  });

  it("when an internal user outside the grants reads a sandbox, then 403; a team member may", async () => {
    await upload("anna", `legal-${run}`, "memo.txt", "text/plain", Buffer.from("legal memo"));
    expect((await download("boris", `legal-${run}`, "memo.txt")).status).toBe(403);
    const member = await stack.token({ kind: "internal", sub: "vera", teams: ["legal"] });
    tokens.vera = member;
    expect((await download("vera", `legal-${run}`, "memo.txt")).bytes.toString()).toBe(
      "legal memo",
    );
  });

  it("when a sandbox is shared with a partner, then the partner reads it and file.shared is published", async () => {
    const notYet = await api<Failure>("PUT", `/sandboxes/globex-${run}/grants`, "acme", {
      principal: "partner:acme",
      rights: ["read"],
    });
    expect(notYet.status).toBe(403);
    const shared = await api<{ grantsVersion: number }>(
      "PUT",
      `/sandboxes/globex-${run}/grants`,
      "anna",
      {
        principal: "partner:acme",
        rights: ["read"],
      },
    );
    expect(shared.status).toBe(200);
    expect((await download("acme", `globex-${run}`, "prices.txt")).status).toBe(200);
    expect(
      (await upload("acme", `globex-${run}`, "x.txt", "text/plain", Buffer.from("x"))).status,
    ).toBe(403);
    const event = await processes.waitFor(
      "file.shared",
      (e) => e.id === `file.shared:globex-${run}:2`,
    );
    expect(event.data).toMatchObject({
      sandbox: { id: `globex-${run}`, kind: "partner" },
      principal: "partner:acme",
      rights: ["read"],
      previousRights: [],
      sharedBy: { kind: "internal", id: "anna" },
      grantsVersion: 2,
    });
  });
});

describe("files: versions", () => {
  it("when a path is uploaded again, then each upload is an immutable version that can be read and restored", async () => {
    const v1 = await sampleDocx(["Договор аренды склада", "Срок: один год"]);
    const v2 = await sampleDocx(["Договор аренды склада", "Срок: пять лет, пролонгация"]);
    const path = "contracts/lease.docx";
    const first = await upload("anna", `legal-${run}`, path, docxType, v1, "?link=deal:D-17");
    expect([first.status, first.body.version, first.body.sha256]).toEqual([201, 1, sha256(v1)]);
    const second = await upload("vera", `legal-${run}`, path, docxType, v2);
    expect([second.status, second.body.version, second.body.author.id]).toEqual([200, 2, "vera"]);

    const history = await api<{
      versions: Array<{ version: number; sha256: string; author: { id: string } }>;
    }>("GET", `/sandboxes/legal-${run}/versions/${path}`, "anna");
    expect(history.body.versions.map((v) => [v.version, v.sha256, v.author.id])).toEqual([
      [2, sha256(v2), "vera"],
      [1, sha256(v1), "anna"],
    ]);
    const old = await download("anna", `legal-${run}`, path, "?version=1");
    expect(old.bytes.equals(v1)).toBe(true);
    expect(old.headers.get("etag")).toBe(`"${sha256(v1)}"`);
    expect(await search("anna", "пролонгация")).toEqual([`legal-${run}/${path}`]);

    const restored = await api<Stored>("POST", `/sandboxes/legal-${run}/restore/${path}`, "anna", {
      version: 1,
    });
    expect([restored.status, restored.body.version, restored.body.restoredFrom]).toEqual([
      200, 3, 1,
    ]);
    expect(restored.body.sha256).toBe(sha256(v1));
    expect((await download("vera", `legal-${run}`, path)).bytes.equals(v1)).toBe(true);
    expect(await search("anna", "пролонгация")).toEqual([]);
    const missing = await api<Failure>("POST", `/sandboxes/legal-${run}/restore/${path}`, "anna", {
      version: 9,
    });
    expect(missing.status).toBe(404);

    const fileId = first.body.fileId;
    const uploaded = await processes.waitFor(
      "file.uploaded",
      (e) => e.id === `file.uploaded:${fileId}:1`,
    );
    expect(uploaded.data).toMatchObject({
      sandbox: { id: `legal-${run}`, kind: "team" },
      path,
      name: "lease.docx",
      version: 1,
      sha256: sha256(v1),
      links: [{ kind: "deal", id: "D-17" }],
    });
    const third = await processes.waitFor(
      "file.versioned",
      (e) => e.id === `file.versioned:${fileId}:3`,
    );
    expect(third.data).toMatchObject({ version: 3, restoredFrom: 1, author: { id: "anna" } });
  });
});

describe("files: search by name and content", () => {
  it("when documents of every kind are stored, then words of each are found in Russian and English", async () => {
    const sandbox = `legal-${run}`;
    const stored = await Promise.all([
      sampleDocx(["Договор поставки ёлочных игрушек", "Supplier agreement"]).then((b) =>
        upload("anna", sandbox, "search/поставка.docx", docxType, b),
      ),
      sampleXlsx("Счета", [
        ["Клиент", "Сумма"],
        ["ООО Ромашка", 125000],
        ["Invoice total", 9],
      ]).then((b) => upload("anna", sandbox, "search/invoices.xlsx", xlsxType, b)),
      samplePdf(["Акт сверки взаиморасчётов", "Reconciliation statement"], "Годовой отчёт").then(
        (b) => upload("anna", sandbox, "search/akt.pdf", "application/pdf", b),
      ),
      upload(
        "anna",
        sandbox,
        "search/notes.md",
        "text/markdown",
        Buffer.from("# Café meeting\nÉlan and naïve plans"),
      ),
      upload(
        "anna",
        sandbox,
        "search/склад-фото.jpg",
        "image/jpeg",
        sampleJpeg({
          make: "Canon",
          model: "EOS 5D",
          description: "Warehouse inspection",
          artist: "Ivan Petrov",
        }),
      ),
    ]);
    expect(stored.map((s) => s.status)).toEqual([201, 201, 201, 201, 201]);
    const at = (name: string) => `${sandbox}/search/${name}`;
    expect.soft(await search("anna", "ДОГОВОРЫ поставка")).toEqual([at("поставка.docx")]);
    expect.soft(await search("anna", "елочные")).toEqual([at("поставка.docx")]);
    expect.soft(await search("anna", "suppliers")).toEqual([at("поставка.docx")]);
    expect.soft(await search("anna", "ромашка")).toEqual([at("invoices.xlsx")]);
    expect.soft(await search("anna", "INVOICES")).toEqual([at("invoices.xlsx")]);
    expect.soft(await search("anna", "взаиморасчеты")).toEqual([at("akt.pdf")]);
    expect.soft(await search("anna", "годовой")).toEqual([at("akt.pdf")]);
    expect.soft(await search("anna", "cafe elan naive")).toEqual([at("notes.md")]);
    expect.soft(await search("anna", "canon inspection")).toEqual([at("склад-фото.jpg")]);
    expect.soft(await search("anna", "склад фото")).toEqual([at("склад-фото.jpg")]);
    expect.soft(await search("boris", "ромашка")).toEqual([]);
  });
});

describe("files: bad input leaves nothing behind", () => {
  const text = (body: string) => ({ type: "text/plain", bytes: Buffer.from(body) });
  it.each([
    {
      what: "over the size limit",
      status: 413,
      code: "FileTooLarge",
      path: "big.txt",
      ...text("a".repeat(maxFileBytes + 1)),
    },
    {
      what: "a disallowed type",
      status: 415,
      code: "UnsupportedType",
      path: "tool.exe",
      type: "application/x-msdownload",
      bytes: Buffer.from("MZ\x90\x00"),
    },
    {
      what: "a path with ..",
      status: 400,
      code: "InvalidPath",
      path: "../escape.txt",
      ...text("x"),
    },
    {
      what: "a path with an encoded ../",
      status: 400,
      code: "InvalidPath",
      path: "a/..%2F..%2Fescape.txt",
      ...text("x"),
    },
    {
      what: "an absolute path",
      status: 400,
      code: "InvalidPath",
      path: "%2Fetc/passwd.txt",
      ...text("x"),
    },
    { what: "a path with NUL", status: 400, code: "InvalidPath", path: "a%00b.txt", ...text("x") },
    {
      what: "a corrupt DOCX",
      status: 400,
      code: "CorruptContent",
      path: "broken.docx",
      type: docxType,
      bytes: Buffer.from("PK\x03\x04 this is no package"),
    },
    {
      what: "a corrupt PDF",
      status: 400,
      code: "CorruptContent",
      path: "broken.pdf",
      type: "application/pdf",
      bytes: Buffer.from("%PDF-1.7\n1 0 obj << broken"),
    },
  ])(
    "when the upload is $what, then $status $code and nothing is stored",
    async ({ path, type, bytes, status, code }) => {
      const before = await storedCounts();
      const answer = await upload<Failure>("anna", `legal-${run}`, path, type, bytes);
      expect([answer.status, answer.body.error.code]).toEqual([status, code]);
      expect(answer.body.error.message.length).toBeGreaterThan(10);
      expect(await storedCounts()).toEqual(before);
    },
  );

  it("when a refused type is uploaded, then the answer names the type", async () => {
    const answer = await upload<Failure>(
      "anna",
      `legal-${run}`,
      "a.exe",
      "application/x-msdownload",
      Buffer.from("MZ"),
    );
    expect(answer.body.error.message).toContain("application/x-msdownload is not accepted");
  });
});

describe("files: documents generated by processes", () => {
  /** `document.generated` as processes publishes it (services/processes' contract). */
  function generated(
    instance: string,
    documentId: string,
    content: Buffer,
    path = `${instance}/contract.docx`,
  ) {
    return {
      documentId,
      sandbox: `contracts-${run}`,
      path,
      fileName: path.slice(path.lastIndexOf("/") + 1),
      title: "contract",
      contentType: docxType,
      contentBase64: content.toString("base64"),
      sizeBytes: content.length,
      sha256: sha256(content),
      link: {
        kind: "process-instance",
        module: "processes",
        id: instance,
        definitionKey: "client-meeting",
      },
      template: { name: "contract", sha256: "0".repeat(64) },
      generatedAt: new Date().toISOString(),
    };
  }

  it("when document.generated arrives, then the contract is stored in its sandbox and file.uploaded links the instance", async () => {
    const instance = `meeting-${run}`;
    const contract = await sampleDocx(["Договор оказания услуг № 5", "Клиент: Иван Петров"]);
    const first = generated(instance, `${instance}:contract`, contract);
    await processes.publish("document.generated", `document.generated:${instance}:contract`, first);
    const uploaded = await processes.waitFor(
      "file.uploaded",
      (e) => e.data.path === `${instance}/contract.docx`,
    );
    expect(uploaded.data).toMatchObject({
      sandbox: { id: `contracts-${run}`, kind: "process" },
      version: 1,
      sha256: sha256(contract),
      author: { kind: "service", id: `processes-${run}` },
      links: [{ kind: "process-instance", id: instance }],
      origin: { topic: "document.generated", eventId: `document.generated:${instance}:contract` },
    });
    // The sandbox files made for it belongs to the configured owners (team:legal here).
    const read = await download("vera", `contracts-${run}`, `${instance}/contract.docx`);
    expect(read.bytes.equals(contract)).toBe(true);
    expect(await search("vera", "оказания услуг")).toContain(
      `contracts-${run}/${instance}/contract.docx`,
    );
    expect((await download("boris", `contracts-${run}`, `${instance}/contract.docx`)).status).toBe(
      403,
    );

    // The same event again (a redelivery) stores nothing new; a new event is a new version.
    await processes.publish("document.generated", `document.generated:${instance}:contract`, first);
    const revised = await sampleDocx(["Договор оказания услуг № 5, редакция 2"]);
    await processes.publish(
      "document.generated",
      `document.generated:${instance}:contract-2`,
      generated(instance, `${instance}:contract-2`, revised),
    );
    const versioned = await processes.waitFor(
      "file.versioned",
      (e) => e.data.fileId === uploaded.data.fileId,
    );
    expect(versioned.data).toMatchObject({
      version: 2,
      links: [{ kind: "process-instance", id: instance }],
    });
    const history = await api<{ versions: unknown[] }>(
      "GET",
      `/sandboxes/contracts-${run}/versions/${instance}/contract.docx`,
      "anna",
    );
    expect(history.body.versions).toHaveLength(2);
  });

  it("when document.generated carries a corrupt document or a wrong checksum, then nothing is stored", async () => {
    const before = await storedCounts();
    const broken = Buffer.from("PK\x03\x04 nothing");
    await processes.publish(
      "document.generated",
      `document.generated:broken-${run}`,
      generated(`broken-${run}`, `broken-${run}`, broken),
    );
    const good = await sampleDocx(["настоящий договор"]);
    await processes.publish("document.generated", `document.generated:tampered-${run}`, {
      ...generated(`tampered-${run}`, `tampered-${run}`, good),
      sha256: sha256(Buffer.from("something else")),
    });
    // Deliveries are in order: once a later good one is stored, the two before were refused.
    await processes.publish(
      "document.generated",
      `document.generated:after-${run}`,
      generated(`after-${run}`, `after-${run}`, good),
    );
    await processes.waitFor("file.uploaded", (e) => e.data.path === `after-${run}/contract.docx`);
    expect(await storedCounts()).toEqual({
      files: before.files + 1,
      versions: before.versions + 1,
      objects: before.objects + 1,
    });
  });
});

describe("files: a crash between the writes", () => {
  const sandbox = () => `legal-${run}`;
  async function uploadUntilKilled(path: string, bytes: Buffer): Promise<void> {
    const answer = await upload("anna", sandbox(), path, "text/plain", bytes).then(
      (r) => r.status,
      () => "connection lost",
    );
    expect(answer).toBe("connection lost");
    await stack.appExited();
  }
  const versionsOf = (path: string, state: string) =>
    db.collection("file_versions").find({ path, state }).toArray();

  it("when the service dies after storing content but before committing, then a restart removes both", async () => {
    const before = await storedCounts();
    await uploadUntilKilled("crash/a.txt", Buffer.from("first try"));
    // Killed between the writes: a pending record and its object exist, the file is invisible.
    expect(await versionsOf("crash/a.txt", "pending")).toMatchObject([{ version: 1 }]);
    expect((await storedCounts()).objects).toBe(before.objects + 1);

    await stack.startApp();
    expect(await versionsOf("crash/a.txt", "pending")).toEqual([]);
    expect(await storedCounts()).toEqual(before);
    expect(await db.collection("files").countDocuments({ path: "crash/a.txt" })).toBe(0);
    expect((await download("anna", sandbox(), "crash/a.txt")).status).toBe(404);
  });

  it("when the service dies after committing but before pointing the file at it, then a restart finishes the version", async () => {
    const before = await storedCounts();
    await uploadUntilKilled("crash/b.txt", Buffer.from("second try: committed"));
    expect(await versionsOf("crash/b.txt", "committed")).toHaveLength(1);
    // The file does not point at it yet: no client could have seen it.
    expect(await db.collection("files").findOne({ path: "crash/b.txt" })).toMatchObject({
      currentVersion: 0,
    });

    await stack.startApp();
    expect(await versionsOf("crash/b.txt", "committed")).toEqual([]);
    expect(await storedCounts()).toEqual({
      files: before.files + 1,
      versions: before.versions + 1,
      objects: before.objects + 1,
    });
    const read = await download("anna", sandbox(), "crash/b.txt");
    expect([read.status, read.bytes.toString()]).toEqual([200, "second try: committed"]);
    expect(await search("anna", "committed")).toEqual([`${sandbox()}/crash/b.txt`]);
    const event = await processes.waitFor("file.uploaded", (e) => e.data.path === "crash/b.txt");
    expect(event.data).toMatchObject({ version: 1, sandbox: { id: sandbox() } });
  });
});

describe("files: metrics", () => {
  it("when requests were served, then /metrics counts them by route pattern, never by raw path", async () => {
    const stored = await upload(
      "anna",
      `legal-${run}`,
      "metrics/probe.txt",
      "text/plain",
      Buffer.from("probe"),
    );
    expect(stored.status).toBe(201);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(
      /symbiont_http_request_duration_seconds_count\{method="PUT",route="\/sandboxes\/:id\/files\/\*path",status="201"\} [1-9]/,
    );
    expect(metrics).not.toContain("probe.txt");
  });
});

describe("files: the samples' export routes", () => {
  it("when the events files published meet the samples' BusRoutes, then every one passes its schema", () => {
    interface Route {
      metadata: { name: string };
      spec: { topic: string; direction: string; schema: Record<string, unknown> };
    }
    const routes = (
      readManifests(join(repoRoot, "samples", "06-routes.yaml")) as unknown as Route[]
    ).filter((r) => r.spec.direction === "export" && r.spec.topic.startsWith("file."));
    expect(routes.map((r) => r.spec.topic).sort()).toEqual([
      "file.shared",
      "file.uploaded",
      "file.versioned",
    ]);
    for (const route of routes) {
      const compiled = compileJsonSchema(route.spec.schema);
      if (!compiled.ok) throw new Error(compiled.error);
      const events = processes.received.get(route.spec.topic) ?? [];
      expect(events.length, route.spec.topic).toBeGreaterThan(0);
      for (const event of events)
        expect(compiled.check(event.data), `${route.metadata.name} ${event.id}`).toEqual({
          ok: true,
        });
    }
  });
});
