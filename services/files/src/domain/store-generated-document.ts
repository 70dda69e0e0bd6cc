import type { CloudEvent } from "@symbiont/service-kit";
import { badRequest } from "@symbiont/service-kit";
import { authorOf, type Principal } from "../auth/principal.js";
import { processSandboxId, type DocumentGenerated } from "../events/document-generated.js";
import { documentGeneratedTopic } from "../events/files-topics.js";
import type { FilesDeps } from "./files-deps.js";
import { parseFilePath } from "./file-path.js";
import type { FileVersion } from "./file-version.js";
import { prepareContent } from "./prepare-content.js";
import { requireRight } from "./rights-of.js";
import { normaliseGrants, type Sandbox } from "./sandbox.js";
import { storeVersion } from "./store-version.js";

/**
 * A document a process generated (`document.generated`) becomes a file in the process
 * instance's sandbox, linked to the instance. The publishing module is the author and must
 * hold write on a sandbox that exists already; a missing process sandbox is made, with the
 * event's grants. Applying the same event twice stores one version.
 */
export async function storeGeneratedDocument(
  deps: FilesDeps,
  document: DocumentGenerated,
  event: CloudEvent,
): Promise<FileVersion | undefined> {
  const principal: Principal = { kind: "service", id: event.source ?? "processes" };
  const path = parseFilePath(document.path, "event.path");
  const sandboxId = document.sandbox ?? processSandboxId(document.processInstanceId);
  const existing = await deps.files.find(sandboxId, path);
  if (existing && (await deps.files.hasVersionFrom(existing.id, event.id))) return undefined;
  const bytes = Buffer.from(document.contentBase64, "base64");
  if (bytes.length === 0) throw badRequest("event.contentBase64", "is empty");
  // Checked before anything is written: a refused document leaves no sandbox behind either.
  const content = await prepareContent(
    { ...deps.limits, maxBytes: deps.limits.maxEventDocumentBytes },
    path,
    document.contentType,
    bytes,
  );
  const sandbox = await processSandbox(deps, sandboxId, document, principal);
  requireRight(sandbox, principal, "write");
  return storeVersion(deps, {
    sandbox,
    path,
    contentType: content.contentType,
    author: authorOf(principal),
    links: [{ kind: "process", id: document.processInstanceId }, ...document.links],
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
  id: string,
  document: DocumentGenerated,
  principal: Principal,
): Promise<Sandbox> {
  const found = await deps.sandboxes.find(id);
  if (found) return found;
  const sandbox: Sandbox = {
    id,
    kind: "process",
    title: document.title ?? `Process ${document.processInstanceId}`,
    links: [{ kind: "process", id: document.processInstanceId }],
    grants: normaliseGrants([
      ...document.grants,
      { principal: `service:${principal.id}`, rights: ["read", "write"] },
    ]),
    grantsVersion: 1,
    createdAt: deps.now().toISOString(),
    createdBy: authorOf(principal),
  };
  if (await deps.sandboxes.insert(sandbox)) return sandbox;
  const raced = await deps.sandboxes.find(id);
  if (!raced) throw new Error(`sandbox ${id} could be neither made nor read`);
  return raced;
}
