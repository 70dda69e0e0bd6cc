import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";
import { versionFacts, type FileVersion } from "../domain/file-version.js";
import { fileNameOf } from "../domain/file-path.js";
import {
  grantKeySchema,
  linkSchema,
  rights,
  sandboxIdSchema,
  sandboxKinds,
  type Sandbox,
} from "../domain/sandbox.js";
import type { Author } from "../auth/principal.js";

// The topics files publishes on the internal bus, and their payloads (docs/module-contract.md,
// "files"). Metadata only: content never travels on a bus from here. Subscribers import
// these schemas instead of copying the shape.

export const fileUploadedTopic = "file.uploaded";
export const fileVersionedTopic = "file.versioned";
export const fileSharedTopic = "file.shared";
export const documentGeneratedTopic = "document.generated";

const authorSchema = z.object({
  kind: z.enum(["internal", "partner", "service"]),
  id: z.string(),
  partner: z.string().optional(),
});

/** `file.uploaded` (version 1 of a path) and `file.versioned` (every later version, restores too). */
export const fileStoredEventSchema = z.object({
  fileId: z.string(),
  sandbox: z.object({ id: sandboxIdSchema, kind: z.enum(sandboxKinds) }),
  path: z.string(),
  name: z.string(),
  version: z.number().int().min(1),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  author: authorSchema,
  createdAt: z.iso.datetime(),
  /** The version whose content this one restores. */
  restoredFrom: z.number().int().min(1).optional(),
  /** What the file belongs to: `{kind: "process", id: <instance id>}`, a customer, a deal... */
  links: z.array(linkSchema),
  /** The event that brought the content, when one did (`document.generated`). */
  origin: z.object({ topic: z.string(), eventId: z.string() }).optional(),
});
export type FileStoredEvent = z.infer<typeof fileStoredEventSchema>;

/** `file.shared`: a principal's rights on a sandbox changed (grown, narrowed or removed). */
export const fileSharedEventSchema = z.object({
  sandbox: z.object({
    id: sandboxIdSchema,
    kind: z.enum(sandboxKinds),
    title: z.string(),
    links: z.array(linkSchema),
  }),
  principal: grantKeySchema,
  rights: z.array(z.enum(rights)),
  previousRights: z.array(z.enum(rights)),
  sharedBy: authorSchema,
  sharedAt: z.iso.datetime(),
  grantsVersion: z.number().int().min(1),
});
export type FileSharedEvent = z.infer<typeof fileSharedEventSchema>;

export function fileStored(version: FileVersion, sandbox: Sandbox): OutgoingEvent<FileStoredEvent> {
  const topic = version.version === 1 ? fileUploadedTopic : fileVersionedTopic;
  return {
    id: `${topic}:${version.fileId}:${version.version}`,
    topic,
    data: {
      fileId: version.fileId,
      sandbox: { id: sandbox.id, kind: sandbox.kind },
      path: version.path,
      name: fileNameOf(version.path),
      ...versionFacts(version),
      links: version.links,
    },
  };
}

export function fileShared(
  sandbox: Sandbox,
  change: {
    principal: string;
    rights: FileSharedEvent["rights"];
    previousRights: FileSharedEvent["rights"];
  },
  sharedBy: Author,
  sharedAt: string,
): OutgoingEvent<FileSharedEvent> {
  return {
    id: `${fileSharedTopic}:${sandbox.id}:${sandbox.grantsVersion}`,
    topic: fileSharedTopic,
    data: {
      sandbox: { id: sandbox.id, kind: sandbox.kind, title: sandbox.title, links: sandbox.links },
      ...change,
      sharedBy,
      sharedAt,
      grantsVersion: sandbox.grantsVersion,
    },
  };
}
