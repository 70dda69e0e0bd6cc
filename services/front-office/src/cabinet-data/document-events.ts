import { z } from "zod";
import type { RecordUpdate } from "./record-store.js";

// Files' `file.uploaded` / `file.versioned` as the `file-*-out` routes export them (metadata
// only, docs/module-contract.md "files"). A document is the person's when one of its links is
// `{kind: "customer", id: <CRM profile id>}`.

export const fileTopics = ["file.uploaded", "file.versioned"] as const;

export const fileStoredSchema = z.object({
  fileId: z.string().min(1).max(128),
  name: z.string().max(300),
  version: z.number().int().min(1),
  contentType: z.string().max(200),
  size: z.number().int().min(0),
  createdAt: z.string().max(40),
  links: z.array(z.object({ kind: z.string().max(64), id: z.string().max(128) })).max(100),
});

/** The document's current version, or undefined when the file is no person's. */
export function documentRecord(data: z.output<typeof fileStoredSchema>): RecordUpdate | undefined {
  const customerIds = data.links.filter((link) => link.kind === "customer").map((link) => link.id);
  if (customerIds.length === 0) return undefined;
  return {
    kind: "document",
    id: data.fileId,
    customerIds,
    facts: {},
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
