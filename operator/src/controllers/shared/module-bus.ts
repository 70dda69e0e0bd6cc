import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import { deadLetterTopicOf } from "@symbiont/contracts";

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

/** Where Dapr puts what the module could not take on `topic`: its own, or `<topic>.<module>.deadletter`. */
export function deadLetterTopicFor(
  module: EcosystemModule,
  subscription: { topic: string; deadLetterTopic?: string },
): string {
  return (
    subscription.deadLetterTopic ?? deadLetterTopicOf(subscription.topic, module.metadata.name)
  );
}

export function deadLetterTopics(module: EcosystemModule): string[] {
  return (module.spec.subscribes ?? []).map((s) => deadLetterTopicFor(module, s));
}

/** Modules that are not being deleted: a deleted module leaves the bus scopes at once. */
export function liveModules(modules: readonly EcosystemModule[]): EcosystemModule[] {
  return modules.filter((m) => !m.metadata.deletionTimestamp);
}
