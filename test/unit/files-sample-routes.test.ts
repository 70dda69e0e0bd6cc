import { join } from "node:path";
import { compileJsonSchema, type RedactRule } from "@symbiont/contracts";
import { describe, expect, it } from "vitest";
import { readManifests } from "../../dev/harness/apply-manifests.js";
import { repoRoot } from "../../dev/harness/tool-paths.js";
import type { BusRouteSpec } from "../../operator/src/api/bus-route.types.js";
import { redactPayload } from "../../services/bus-gateway/src/domain/redact-payload.js";
import type { FileVersion } from "../../services/files/src/domain/file-version.js";
import type { Sandbox } from "../../services/files/src/domain/sandbox.js";
import { fileShared, fileStored } from "../../services/files/src/events/files-topics.js";

// The samples' export routes for file.* take what files publishes (built by its own event
// functions), and what leaves the core names no author.

const routes = readManifests(join(repoRoot, "samples"))
  .filter((o) => o.kind === "BusRoute")
  .map((o) => (o as unknown as { spec: BusRouteSpec }).spec);
const routeFor = (topic: string) =>
  routes.find((r) => r.topic === topic && r.direction === "export")!;

const at = "2026-03-01T10:00:00.000Z";
const sandbox: Sandbox = {
  id: "contracts",
  kind: "process",
  title: "Contracts",
  links: [{ kind: "process-instance", id: "i-1" }],
  grants: [{ principal: "team:managers", rights: ["read", "write", "share"] }],
  grantsVersion: 2,
  createdAt: at,
  createdBy: { kind: "service", id: "processes" },
};
const version = (n: number, extra: Partial<FileVersion> = {}): FileVersion => ({
  fileId: "f-1",
  sandbox: "contracts",
  path: "i-1/contract.docx",
  version: n,
  state: "announced",
  objectKey: "objects/contracts/f-1/1-x",
  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  size: 5120,
  sha256: "a".repeat(64),
  author: { kind: "partner", id: "olga.petrova", partner: "acme" },
  createdAt: at,
  links: [{ kind: "process-instance", id: "i-1" }],
  origin: { topic: "document.generated", eventId: "document.generated:i-1:contract" },
  text: "Договор",
  meta: {},
  ...extra,
});

const published = [
  { what: "a first upload", event: fileStored(version(1), sandbox) },
  { what: "a restored version", event: fileStored(version(3, { restoredFrom: 1 }), sandbox) },
  {
    what: "a share",
    event: fileShared(
      sandbox,
      { principal: "partner:acme", rights: ["read"], previousRights: [] },
      { kind: "internal", id: "olga.petrova" },
      at,
    ),
  },
];

describe("the samples' file routes and what files publishes", () => {
  it.each(published)(
    "when $what is exported, then its route takes it, and its copy names no author",
    ({ event }) => {
      const route = routeFor(event.topic);
      const compiled = compileJsonSchema(route.schema);
      if (!compiled.ok) throw new Error(compiled.error);
      const data = JSON.parse(JSON.stringify(event.data)) as unknown;
      expect(compiled.check(data)).toEqual({ ok: true });
      const redacted = redactPayload(data, route.redact as RedactRule[]);
      expect(JSON.stringify(data)).toContain("olga.petrova");
      expect(JSON.stringify(redacted)).not.toContain("olga.petrova");
      expect(compiled.check(redacted)).toEqual({ ok: true });
    },
  );

  it("when a payload carried content, then the route would refuse it", () => {
    const compiled = compileJsonSchema(routeFor("file.uploaded").schema);
    if (!compiled.ok) throw new Error(compiled.error);
    const withContent = { ...fileStored(version(1), sandbox).data, contentBase64: "UEsDBA==" };
    expect(compiled.check(JSON.parse(JSON.stringify(withContent)))).toMatchObject({ ok: false });
  });
});
