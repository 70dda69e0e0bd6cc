import { AppError, conflict, notFound } from "@symbiont/service-kit";
import { activeProfiles } from "./active-profiles.js";
import type { CrmDeps } from "./crm-deps.js";
import { mergeProfiles } from "./merge-profiles.js";
import type { MergeActor, MergeSuggestion, Profile } from "./profile.js";

export interface Decision {
  suggestion: MergeSuggestion;
  profile?: Profile;
  mergeId?: string;
}

async function openSuggestion(deps: CrmDeps, id: string): Promise<MergeSuggestion> {
  const suggestion = await deps.merges.suggestion(id);
  if (!suggestion) throw notFound(`suggestion ${id}`);
  if (suggestion.status !== "open")
    throw conflict(`suggestion ${id} is already ${suggestion.status}`);
  return suggestion;
}

/**
 * "Is this your lost loyalty card?": the customer (one of the two profiles) or a manager
 * confirms, and the profiles are merged, recorded with who confirmed.
 */
export async function confirmSuggestion(
  deps: CrmDeps,
  id: string,
  actor: MergeActor,
): Promise<Decision> {
  const suggestion = await openSuggestion(deps, id);
  const active = await activeProfiles(deps, suggestion.profileIds);
  if (actor.kind === "customer") {
    const own = suggestion.profileIds.some(
      (pid) => pid === actor.id || active.get(pid)?.id === actor.id,
    );
    if (!own) {
      throw new AppError({
        status: 403,
        code: "NotYourProfile",
        field: "body.by.id",
        message: "body.by.id: a customer can confirm only a suggestion about their own profile",
      });
    }
  }
  if (!(await deps.merges.decideSuggestion(id, "confirmed", actor, deps.now()))) {
    throw conflict(`suggestion ${id} was decided meanwhile`);
  }
  const profiles = [...new Set(active.values())];
  const merge = await mergeProfiles(
    deps,
    profiles,
    `confirmed:${suggestion.reason.split(" (")[0]}`,
    actor,
  );
  const profile = merge?.survivor ?? profiles[0];
  return {
    suggestion: { ...suggestion, status: "confirmed", decidedBy: actor },
    ...(profile ? { profile } : {}),
    ...(merge ? { mergeId: merge.record.id } : {}),
  };
}

/** "Not me": the pair is kept apart from now on, and never suggested again. */
export async function rejectSuggestion(
  deps: CrmDeps,
  id: string,
  actor: MergeActor,
): Promise<Decision> {
  const suggestion = await openSuggestion(deps, id);
  if (!(await deps.merges.decideSuggestion(id, "rejected", actor, deps.now()))) {
    throw conflict(`suggestion ${id} was decided meanwhile`);
  }
  await deps.merges.block([suggestion.id], "rejected suggestion", deps.now());
  return { suggestion: { ...suggestion, status: "rejected", decidedBy: actor } };
}
