import { AppError, conflict } from "@symbiont/service-kit";
import { knownPartnerKindRule } from "./check-offer.js";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import type { Onboarding, Partner, PartnerStatus } from "./partner.js";
import { issuePartnerKey, type KeyView } from "./partner-keys.js";
import { unknownPartner } from "./refusal.js";
import { partnerKinds } from "./rulebook.js";
import { ruleViolated } from "./rule-violation.js";

/**
 * Onboarding: a partner of a kind the rulebook knows joins, active, with its first API key
 * (shown here once). A second onboarding under the same id is refused.
 */
export async function onboardPartner(
  deps: MarketplaceDeps,
  input: Onboarding,
): Promise<{ partner: Partner; key: KeyView & { token: string } }> {
  const kinds = partnerKinds(deps.rules.current());
  if (!kinds.includes(input.kind))
    throw ruleViolated({
      rule: knownPartnerKindRule,
      type: "categories",
      field: "kind",
      message: `the rulebook has no categories rule for kind ${input.kind} (kinds: ${kinds.join(", ")})`,
    });
  const at = deps.now().toISOString();
  const partner: Partner = { ...input, status: "active", version: 1, createdAt: at, updatedAt: at };
  if (!(await deps.partners.insert(partner))) throw conflict(`partner ${input.id} exists already`);
  const key = await issuePartnerKey(deps, partner.id);
  deps.logger.info(
    { partnerId: partner.id, kind: partner.kind, keyId: key.keyId },
    "partner onboarded",
  );
  return { partner, key };
}

export async function getPartner(deps: MarketplaceDeps, id: string): Promise<Partner> {
  const partner = await deps.partners.find(id);
  if (!partner) throw unknownPartner(id);
  return partner;
}

/** Suspends or reactivates a partner: a suspended partner's keys are refused, its offers not sold. */
export async function setPartnerStatus(
  deps: MarketplaceDeps,
  id: string,
  status: PartnerStatus,
): Promise<Partner> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getPartner(deps, id);
    if (current.status === status) return current;
    const next: Partner = {
      ...current,
      status,
      version: current.version + 1,
      updatedAt: deps.now().toISOString(),
    };
    if (await deps.partners.replaceIfVersion(next, current.version)) return next;
  }
  throw new AppError({
    status: 503,
    code: "Busy",
    message: `partner ${id} keeps changing; try again`,
  });
}
