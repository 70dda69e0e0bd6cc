import type { FrontOfficeRole } from "@symbiont/contracts";

// Who may see what in the partner cabinets (MISSION F4, F5): the role and the partner come
// from the SSO's token (`roles`, `partner_id`), never from the request. A partner's person
// sees only the partner's own objects; a manager of the company sees every partner's; anyone
// else sees none. Another partner's object is answered as if it did not exist (404), so its
// existence is not told either.

export type PartnerCabinetKind = "marketplace" | "company";

/** The role each partner cabinet is for. */
export const partnerRoleOf: Record<PartnerCabinetKind, FrontOfficeRole> = {
  marketplace: "marketplace-partner",
  company: "company-partner",
};

export interface Viewer {
  roles: string[];
  partnerId?: string;
}

/** Whose objects the viewer may see in this cabinet: one partner's, all, or none (refused). */
export type Scope =
  { kind: "partner"; partnerId: string } | { kind: "all" } | { kind: "refused"; reason: string };

export function viewerScope(viewer: Viewer, cabinet: PartnerCabinetKind): Scope {
  const role = partnerRoleOf[cabinet];
  if (viewer.roles.includes(role)) {
    if (!viewer.partnerId)
      return {
        kind: "refused",
        reason: `your ${role} account names no partner: ask the company to set it`,
      };
    return { kind: "partner", partnerId: viewer.partnerId };
  }
  if (viewer.roles.includes("manager")) return { kind: "all" };
  return {
    kind: "refused",
    reason: `this cabinet is for ${role.replace("-", " ")}s and the company's managers`,
  };
}

/** Whether an object owned by `ownerPartnerId` may be shown to a viewer of this scope. */
export function maySee(scope: Scope, ownerPartnerId: string): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "partner" && scope.partnerId === ownerPartnerId;
}
