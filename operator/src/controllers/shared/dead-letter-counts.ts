import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import { corporateBusName, internalBusName } from "@symbiont/contracts";
import { busOf, subscribedTopics } from "./module-bus.js";

// Which of the dead letters the bus gateway reports on its Ecosystem belong to one BusRoute or
// one module. A route's are its crossings (export/import entries named after it); a module's
// are the messages it refused: the gateway records each subscriber's dead letters under its
// app-id (per-subscriber dead-letter topics). Entries recorded before those topics existed
// name only the bus: every subscriber of the topic on that bus counts them.

type Counts = NonNullable<NonNullable<Ecosystem["status"]>["deadLetters"]>;

const total = (counts: Counts, match: (c: Counts[number]) => boolean) =>
  counts.filter(match).reduce((sum, c) => sum + c.count, 0);

export function routeDeadLetters(ecosystem: Ecosystem | undefined, route: string): number {
  return total(
    ecosystem?.status?.deadLetters ?? [],
    (c) => (c.kind === "export" || c.kind === "import") && c.target === route,
  );
}

export function moduleDeadLetters(ecosystem: Ecosystem, module: EcosystemModule): number {
  const topics = new Set(subscribedTopics(module));
  const eco = ecosystem.metadata.name;
  const bus = busOf(module) === "internal" ? internalBusName(eco) : corporateBusName(eco);
  return total(
    ecosystem.status?.deadLetters ?? [],
    (c) =>
      c.kind === "drop" &&
      (c.target === module.metadata.name || c.target === bus) &&
      topics.has(c.topic),
  );
}
