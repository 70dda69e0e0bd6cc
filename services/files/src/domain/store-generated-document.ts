import type { CloudEvent } from "@symbiont/service-kit";
import { badRequest } from "@symbiont/service-kit";
import { authorOf, type Principal } from "../auth/principal.js";
import { corruptContent } from "../errors.js";
import type { DocumentGenerated } from "../events/document-generated.js";
import { documentGeneratedTopic } from "../events/files-topics.js";
import { allRights, requireRight } from "./rights-of.js";
import type { FilesDeps } from "./files-deps.js";
import { parseFilePath } from "./file-path.js";
import type { FileVersion } from "./file-version.js";
import { prepareContent } from "./prepare-content.js";
import { normaliseGrants, type Sandbox } from "./sandbox.js";
import { storeVersion } from "./store-version.js";

/**
 * A document a process generated (`document.generated`) becomes a file at its path in its
 * sandbox, linked to the process instance, authored by the publishing module (the event's
 * source). A sandbox that does not exist yet is made as a process sandbox: the publisher may
 * read and write it, the configured owners (FILES_PROCESS_SANDBOX_OWNERS) hold every right.
 * Applying the same event twice stores one version; a refused document stores nothing.
 */
export async function storeGeneratedDocument(
  deps: FilesDeps,
  document: DocumentGenerated,
  event: CloudEvent,
): Promise<FileVersion | undefined> {
  const principal: Principal = { kind: "service", id: event.source ?? "processes" };
  const path = parseFilePath(document.path, "event.path");
  const existing = await deps.files.find(document.sandbox, path);
  if (existing && (await deps.files.hasVersionFrom(existing.id, event.id))) return undefined;
  const bytes = Buffer.from(document.contentBase64, "base64");
  if (bytes.length === 0) throw badRequest("event.contentBase64", "is empty");
  const content = await prepareContent(
    { ...deps.limits, maxBytes: deps.limits.maxEventDocumentBytes },
    path,
    document.contentType,
    bytes,
  );
  if (document.sha256 && document.sha256 !== content.sha256)
    throw corruptContent(document.contentType, "its sha256 is not the one the event names");
  const sandbox = await processSandbox(deps, document, principal);
  requireRight(sandbox, principal, "write");
  return storeVersion(deps, {
    sandbox,
    path,
    contentType: content.contentType,
    author: authorOf(principal),
    links: [{ kind: document.link.kind, id: document.link.id }],
    content: { bytes },
    size: content.size,
    sha256: content.sha256,
    text: content.text,
    meta: content.meta,
    origin: { topic: documentGeneratedTopic, eventId: event.id },
  });
}

async function processSandbox(
  deps: FilesDeps,
  document: DocumentGenerated,
  principal: Principal,
): Promise<Sandbox> {
  const found = await deps.sandboxes.find(document.sandbox);
  if (found) return found;
  const sandbox: Sandbox = {
    id: document.sandbox,
    kind: "process",
    title: `Documents of ${principal.id}`,
    links: [],
    grants: normaliseGrants([
      { principal: `service:${principal.id}`, rights: ["read", "write"] },
      ...deps.processSandboxOwners.map((owner) => ({ principal: owner, rights: allRights })),
    ]),
    grantsVersion: 1,
    createdAt: deps.now().toISOString(),
    createdBy: authorOf(principal),
  };
  if (await deps.sandboxes.insert(sandbox)) return sandbox;
  const raced = await deps.sandboxes.find(document.sandbox);
  if (!raced) throw new Error(`sandbox ${document.sandbox} could be neither made nor read`);
  return raced;
}
