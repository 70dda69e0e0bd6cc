import { createHash, timingSafeEqual } from "node:crypto";

import {
  gatewayAdminActions,
  gatewayAdminGroup,
  gatewayAdminResource,
  type GatewayAdminAction,
} from "@symbiont/contracts";

// Who may use the gateway's admin API (dead letters, replay, the ledger), decided by
// Kubernetes RBAC: the caller presents a bearer token (a ServiceAccount's or a user's),
// TokenReview says who it is and SubjectAccessReview whether they may do the action on the
// gateway (docs/security.md). The actions are RBAC verbs on a virtual resource of the
// symbiont.dev group, named for the gateway (@symbiont/contracts, gateway-admin.ts):
//   get    busgateways/ledger   read dead letters, ledger entries, the audit, partner state
//   create busgateways/replay   replay dead letters

export const adminApiGroup = gatewayAdminGroup;
export const adminResource = gatewayAdminResource;
export type AdminAction = GatewayAdminAction;
export const readLedger: AdminAction = gatewayAdminActions.readLedger;
export const replay: AdminAction = gatewayAdminActions.replay;

export type Verdict =
  | { kind: "allowed"; user: string }
  | { kind: "unauthenticated"; reason: string }
  | { kind: "forbidden"; user: string; reason: string };

/** Checks a bearer token for one action; throws when it cannot tell (the API is away). */
export interface AccessReviewer {
  readonly describe: string;
  review(token: string, action: AdminAction): Promise<Verdict>;
}

/** `kubectl auth can-i`-style wording of an action on a gateway. */
export function describeAction(action: AdminAction, namespace: string, gateway: string): string {
  return `${action.verb} ${adminResource}/${action.subresource} (group ${adminApiGroup}) on ${gateway} in namespace ${namespace}`;
}

/**
 * Outside Kubernetes (self-hosted daprd, no API server to ask), a single admin token from
 * the environment (SYMBIONT_ADMIN_TOKEN); compared in constant time over digests. The
 * operator never sets it: in a cluster, RBAC decides.
 */
export function staticTokenReviewer(token: string): AccessReviewer {
  const expected = digest(token);
  return {
    describe: "the static admin token (SYMBIONT_ADMIN_TOKEN)",
    review: async (given) =>
      timingSafeEqual(digest(given), expected)
        ? { kind: "allowed", user: "admin-token" }
        : { kind: "unauthenticated", reason: "the bearer token is not the admin token" },
  };
}

/**
 * Allowed verdicts are remembered for `ttlMs` per (token, action), so a burst of admin
 * calls is not two API requests each; refusals are never remembered (a binding just granted
 * works at once).
 */
export function cachingReviewer(
  reviewer: AccessReviewer,
  ttlMs = 10_000,
  now = () => Date.now(),
  maxEntries = 1_000,
): AccessReviewer {
  const allowed = new Map<string, { user: string; until: number }>();
  return {
    describe: reviewer.describe,
    async review(token, action) {
      const key = `${digest(token).toString("hex")}/${action.verb}/${action.subresource}`;
      const cached = allowed.get(key);
      if (cached && cached.until > now()) return { kind: "allowed", user: cached.user };
      const verdict = await reviewer.review(token, action);
      if (verdict.kind === "allowed") {
        if (allowed.size >= maxEntries) allowed.clear();
        allowed.set(key, { user: verdict.user, until: now() + ttlMs });
      } else allowed.delete(key);
      return verdict;
    },
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
