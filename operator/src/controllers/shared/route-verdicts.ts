import type { BusRoute } from "../../api/bus-route.types.js";
import type { EcosystemModule } from "../../api/ecosystem-module.types.js";
import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import { compileJsonSchema, type ConditionInput } from "@symbiont/contracts";
import { busOf, liveModules, publishedTopics } from "./module-bus.js";

// Whether each BusRoute of an ecosystem can carry its topic (pure). Only Ready routes reach
// the gateway's configuration, so a broken route never opens the boundary.

export interface RouteContext {
  ecosystem: Ecosystem | undefined;
  routes: readonly BusRoute[];
  modules: readonly EcosystemModule[];
  partners: readonly PartnerIntegration[];
}

/** Why the gateway could not compile a route's schema (the compiler the gateway uses). */
export function schemaProblem(schema: unknown): string | undefined {
  if (schema === undefined) return undefined;
  const compiled = compileJsonSchema(schema);
  return compiled.ok ? undefined : compiled.error;
}

const older = (a: BusRoute, b: BusRoute) =>
  (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
  a.metadata.name.localeCompare(b.metadata.name);

export function routeVerdicts(context: RouteContext): Map<string, ConditionInput> {
  const verdicts = new Map<string, ConditionInput>();
  const { ecosystem } = context;
  const modules = liveModules(context.modules);
  const sorted = [...context.routes].sort(older);
  const seen = new Map<string, string>();
  for (const route of sorted) {
    const { topic, direction } = route.spec;
    const notReady = (reason: string, message: string): ConditionInput => ({
      type: "Ready",
      status: "False",
      reason,
      message,
    });
    const first = seen.get(`${direction}/${topic}`);
    if (!first) seen.set(`${direction}/${topic}`, route.metadata.name);
    let verdict: ConditionInput;
    if (!ecosystem) {
      verdict = notReady(
        "EcosystemNotFound",
        `Ecosystem ${route.spec.ecosystemRef.name} does not exist in namespace ${route.metadata.namespace}; create it or fix spec.ecosystemRef.name`,
      );
    } else if (first) {
      verdict = notReady(
        "DuplicateRoute",
        `BusRoute ${first} already ${direction}s ${topic}; delete one of them`,
      );
    } else if (schemaProblem(route.spec.schema)) {
      verdict = notReady(
        "InvalidSchema",
        `spec.schema is not a valid JSON Schema: ${schemaProblem(route.spec.schema)}`,
      );
    } else if (route.spec.sign && !ecosystem.spec.security.signingKeySecretRef) {
      verdict = notReady(
        "SigningKeyMissing",
        `sign: true needs Ecosystem ${ecosystem.metadata.name} spec.security.signingKeySecretRef`,
      );
    } else if (
      direction === "export" &&
      !modules.some((m) => busOf(m) === "internal" && publishedTopics(m).includes(topic))
    ) {
      verdict = notReady(
        "TopicNotPublished",
        `no core module of ${ecosystem.metadata.name} publishes ${topic}; add it to a core module's spec.publishes or fix spec.topic`,
      );
    } else if (
      direction === "import" &&
      !modules.some((m) => busOf(m) === "corporate" && publishedTopics(m).includes(topic)) &&
      !context.partners.some((p) => (p.spec.produces ?? []).includes(topic))
    ) {
      verdict = notReady(
        "TopicNotPublished",
        `no module on the corporate bus publishes ${topic} and no PartnerIntegration produces it; add a publisher or fix spec.topic`,
      );
    } else {
      verdict = {
        type: "Ready",
        status: "True",
        reason: "Routed",
        message:
          direction === "export"
            ? `the bus gateway carries ${topic} from the internal to the corporate bus${route.spec.schema ? ", validated" : ""}${route.spec.redact?.length ? `, ${route.spec.redact.length} field(s) redacted` : ""}${route.spec.sign ? ", signed" : ""}`
            : `the bus gateway carries ${topic} from the corporate to the internal bus${route.spec.schema ? ", validated" : ""}`,
      };
    }
    verdicts.set(route.metadata.name, verdict);
  }
  return verdicts;
}

/** The routes the gateway may use. */
export function validRoutes(context: RouteContext): BusRoute[] {
  const verdicts = routeVerdicts(context);
  return context.routes.filter((r) => verdicts.get(r.metadata.name)?.status === "True");
}
