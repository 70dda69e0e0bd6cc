import { z } from "zod";
import type { RecordUpdate } from "./record-store.js";

// Files' `file.uploaded` / `file.versioned` as the `file-*-out` routes export them (metadata
// only, docs/module-contract.md "files"). A document is the person's when one of its links is
// `{kind: "customer", id: <CRM profile id>}`.

export const fileTopics = ["file.uploaded", "file.versioned"] as const;

export const fileSharedTopic = "file.shared";

export const fileStoredSchema = z.object({
  fileId: z.string().min(1).max(128),
  sandbox: z.object({ id: z.string().min(1).max(128), kind: z.string().max(32) }),
  name: z.string().max(300),
  version: z.number().int().min(1),
  contentType: z.string().max(200),
  size: z.number().int().min(0),
  createdAt: z.string().max(40),
  links: z.array(z.object({ kind: z.string().max(64), id: z.string().max(128) })).max(100),
});

/** The document's current version, or undefined when the file is no person's. */
export function documentRecord(data: z.output<typeof fileStoredSchema>): RecordUpdate | undefined {
  const customers = data.links.filter((link) => link.kind === "customer").map((link) => link.id);
  if (customers.length === 0) return undefined;
  return {
    kind: "document",
    id: data.fileId,
    owners: customers.map((id) => `customer:${id}`),
    ...versionOf(data),
  };
}

/** What changes with each version of a file: the current one wins. */
function versionOf(data: z.output<typeof fileStoredSchema>) {
  return {
    facts: { sandboxId: data.sandbox.id },
    state: {
      name: data.name,
      version: data.version,
      contentType: data.contentType,
      size: data.size,
      createdAt: data.createdAt,
    },
    version: data.version,
  };
}

/** A file as a company partner's cabinet keeps it: in its sandbox, whoever may read that. */
export function sandboxFileRecord(data: z.output<typeof fileStoredSchema>): RecordUpdate {
  return {
    kind: "document",
    id: data.fileId,
    owners: [`sandbox:${data.sandbox.id}`],
    ...versionOf(data),
  };
}

export const fileSharedSchema = z.object({
  sandbox: z.object({
    id: z.string().min(1).max(128),
    kind: z.string().max(32),
    title: z.string().max(300).default(""),
  }),
  principal: z.string().min(1).max(200),
  rights: z.array(z.enum(["read", "write", "share"])),
  sharedAt: z.string().max(40),
  grantsVersion: z.number().int().min(1),
});

/**
 * A grant on a sandbox: a partner's (`partner:<id>`) rights there, newest grants version
 * wins; rights `[]` mean the partner no longer sees the sandbox. Other principals are not
 * the company partner cabinet's business.
 */
export function sandboxGrantRecord(
  data: z.output<typeof fileSharedSchema>,
): RecordUpdate | undefined {
  if (!data.principal.startsWith("partner:")) return undefined;
  return {
    kind: "sandbox",
    id: `${data.sandbox.id}|${data.principal}`,
    owners: [data.principal],
    facts: { sandboxId: data.sandbox.id, title: data.sandbox.title, kind: data.sandbox.kind },
    state: { rights: data.rights, sharedAt: data.sharedAt },
    version: data.grantsVersion,
  };
}
