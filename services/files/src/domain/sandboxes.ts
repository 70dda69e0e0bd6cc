import { authorOf, principalKeys, type Principal } from "../auth/principal.js";
import { conflict, forbidden, notFound } from "../errors.js";
import { fileShared } from "../events/files-topics.js";
import type { FilesDeps } from "./files-deps.js";
import { allRights, requireRight, rightsOf } from "./rights-of.js";
import {
  normaliseGrants,
  type Grant,
  type NewSandbox,
  type Right,
  type Sandbox,
} from "./sandbox.js";

/** A sandbox with the rights the caller holds on it. */
export type SandboxView = Sandbox & { myRights: Right[] };

export function sandboxView(sandbox: Sandbox, principal: Principal): SandboxView {
  return { ...sandbox, myRights: allRights.filter((r) => rightsOf(sandbox, principal).has(r)) };
}

/** Internal users make sandboxes (partners are given rights on them); the maker holds every right. */
export async function createSandbox(
  deps: FilesDeps,
  input: NewSandbox,
  principal: Principal,
): Promise<Sandbox> {
  if (principal.kind !== "internal")
    throw forbidden("only internal users create sandboxes; partners are given rights on them");
  const sandbox: Sandbox = {
    ...input,
    grants: normaliseGrants([
      ...input.grants,
      { principal: `user:${principal.id}`, rights: allRights },
    ]),
    grantsVersion: 1,
    createdAt: deps.now().toISOString(),
    createdBy: authorOf(principal),
  };
  if (!(await deps.sandboxes.insert(sandbox))) throw conflict(`sandbox ${input.id} already exists`);
  return sandbox;
}

/** The sandbox, or 404; a caller without read gets 403. */
export async function readableSandbox(
  deps: FilesDeps,
  id: string,
  principal: Principal,
  right: Right = "read",
): Promise<Sandbox> {
  const sandbox = await deps.sandboxes.find(id);
  if (!sandbox) throw notFound(`sandbox ${id}`);
  requireRight(sandbox, principal, right);
  return sandbox;
}

export async function listSandboxes(deps: FilesDeps, principal: Principal): Promise<SandboxView[]> {
  const sandboxes = await deps.sandboxes.readableBy(principalKeys(principal));
  return sandboxes.map((s) => sandboxView(s, principal));
}

/**
 * Sets one principal's rights on a sandbox (an empty list removes them). Needs the share
 * right; announced as `file.shared` when something changed.
 */
export async function shareSandbox(
  deps: FilesDeps,
  id: string,
  grant: Grant,
  principal: Principal,
): Promise<Sandbox> {
  const sandbox = await readableSandbox(deps, id, principal, "share");
  const previous = sandbox.grants.find((g) => g.principal === grant.principal)?.rights ?? [];
  const others = sandbox.grants.filter((g) => g.principal !== grant.principal);
  const grants = normaliseGrants([...others, grant]);
  const now = normaliseGrants([grant])[0]?.rights ?? [];
  if (now.join() === previous.join()) return sandbox;
  if (!(await deps.sandboxes.replaceGrants(id, grants, sandbox.grantsVersion)))
    throw conflict(`sandbox ${id} was shared by someone else meanwhile; read it and try again`);
  const shared: Sandbox = { ...sandbox, grants, grantsVersion: sandbox.grantsVersion + 1 };
  await deps.outbox.send([
    fileShared(
      shared,
      { principal: grant.principal, rights: now, previousRights: previous },
      authorOf(principal),
      deps.now().toISOString(),
    ),
  ]);
  return shared;
}
