import { forbidden } from "../errors.js";
import { describePrincipal, principalKeys, type Principal } from "../auth/principal.js";
import { rights, type Right, type Sandbox } from "./sandbox.js";

/** The rights a principal holds on a sandbox: the union of the grants it matches. */
export function rightsOf(sandbox: Pick<Sandbox, "grants">, principal: Principal): Set<Right> {
  const keys = new Set(principalKeys(principal));
  const held = new Set<Right>();
  for (const grant of sandbox.grants)
    if (keys.has(grant.principal)) for (const right of grant.rights) held.add(right);
  return held;
}

/** Throws 403 naming the principal, the right and the sandbox when the right is not held. */
export function requireRight(sandbox: Sandbox, principal: Principal, right: Right): void {
  if (!rightsOf(sandbox, principal).has(right))
    throw forbidden(
      `${describePrincipal(principal)} has no ${right} right on sandbox ${sandbox.id}`,
    );
}

export const allRights: Right[] = [...rights];
