import { conflict } from "@symbiont/service-kit";
import type { MarketplaceDeps } from "./marketplace-deps.js";
import type { Offer } from "./offer.js";
import { suspendOffersBreakingRules } from "./offers.js";
import type { Rulebook, RulebookInput } from "./rulebook.js";

/**
 * A new rulebook, written at the version the operator read (a stale one is refused with
 * 409). Offers that break the new rules are suspended, naming the rule.
 */
export async function replaceRulebook(
  deps: MarketplaceDeps,
  input: RulebookInput,
  expectedVersion: number,
): Promise<{ rulebook: Rulebook; suspended: Offer[] }> {
  const current = deps.rules.current();
  const stale = () =>
    conflict(
      `the rulebook is at version ${current.version}, the change was made to version ${expectedVersion}`,
      {
        currentVersion: current.version,
      },
    );
  if (expectedVersion !== current.version) throw stale();
  const rulebook: Rulebook = {
    ...input,
    version: current.version + 1,
    updatedAt: deps.now().toISOString(),
  };
  if (!(await deps.rules.replaceIfVersion(rulebook, expectedVersion))) {
    await deps.rules.refresh();
    throw stale();
  }
  deps.logger.info(
    { version: rulebook.version, rules: rulebook.rules.length },
    "rulebook replaced",
  );
  return { rulebook, suspended: await suspendOffersBreakingRules(deps) };
}

/** The rulebook as stored now (another replica may have replaced it). */
export async function currentRulebook(deps: MarketplaceDeps): Promise<Rulebook> {
  return deps.rules.refresh();
}
