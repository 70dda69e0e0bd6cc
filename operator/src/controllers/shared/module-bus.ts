import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import { defaultDeadLetterTopic } from "@symbiont/contracts";

// Which bus a module is on follows from its tier (MISSION A3); the CRD refuses a module that
// names the other bus, so `bus` in publishes/subscribes is only ever a confirmation.

export type BusSide = "internal" | "corporate";

export function busOf(module: EcosystemModule): BusSide {
  return module.spec.tier === "core" ? "internal" : "corporate";
}

export function publishedTopics(module: EcosystemModule): string[] {
  return (module.spec.publishes ?? []).map((p) => p.topic);
}

export function subscribedTopics(module: EcosystemModule): string[] {
  return (module.spec.subscribes ?? []).map((s) => s.topic);
}

export function deadLetterTopics(module: EcosystemModule): string[] {
  return (module.spec.subscribes ?? []).map(
    (s) => s.deadLetterTopic ?? defaultDeadLetterTopic(s.topic),
  );
}

/** Modules that are not being deleted: a deleted module leaves the bus scopes at once. */
export function liveModules(modules: readonly EcosystemModule[]): EcosystemModule[] {
  return modules.filter((m) => !m.metadata.deletionTimestamp);
}
