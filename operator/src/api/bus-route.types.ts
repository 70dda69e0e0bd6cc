// Generated from crds/busroutes.symbiont.dev.yaml by scripts/generate-types.ts (make generate). Do not edit.

import type { KubeObject } from "../kube/kube-object.js";

/**
 * A BusRoute lets one topic cross the boundary between the internal bus (the core) and the corporate bus (everything else), through the bus gateway and nowhere else. export: a core topic leaves the core, validated against schema, with the redact paths removed or masked and optionally signed; import: a corporate topic enters the core, validated. Nothing crosses without a route.
 */
export interface BusRouteBody {
  spec: BusRouteSpec;
  status?: BusRouteStatus;
}
/**
 * The desired route.
 */
export interface BusRouteSpec {
  /**
   * The Ecosystem whose buses the route joins, in the same namespace.
   */
  ecosystemRef: {
    /**
     * Name of the Ecosystem.
     */
    name: string;
  };
  /**
   * The topic that crosses; it keeps its name on the other bus.
   */
  topic: string;
  /**
   * export (internal -> corporate) or import (corporate -> internal).
   */
  direction: "export" | "import";
  /**
   * JSON Schema of the payload (the CloudEvent data). $schema picks the dialect: draft 2020-12 (also when absent) or draft-07. A keyword the dialect does not know is refused, not ignored, and formats are checked: a schema that does not compile makes the route Ready=False (InvalidSchema) with the compiler's message. A message that does not match becomes a dead letter with the validation error.
   */
  schema?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Fields removed or masked before the payload leaves the core (export).
   *
   * @maxItems 50
   */
  redact?: Redaction[];
  /**
   * Sign exported messages with the ecosystem's key (spec.security.signingKeySecretRef) so receivers can verify their origin (default false).
   */
  sign: boolean;
}
export interface Redaction {
  /**
   * A JSON path from the payload's root, e.g. $.customer.email or $.items[*].price.
   */
  path: string;
  /**
   * remove the field, or mask its value (keeping its presence) (default remove).
   */
  action: "remove" | "mask";
}
/**
 * The observed state, written by the operator.
 */
export interface BusRouteStatus {
  /**
   * Dead letters of this route held by the bus gateway (payloads that failed the route, e.g. its schema), from the Ecosystem's status. Replay them with `kubectl symbiont deadletters replay`.
   */
  deadLetters?: number;
  /**
   * The metadata.generation this status describes.
   */
  observedGeneration?: number;
  /**
   * Ready (the gateway carries the topic across).
   */
  conditions?: Condition[];
}
export interface Condition {
  /**
   * Kind of condition, in CamelCase.
   */
  type: string;
  /**
   * True, False or Unknown.
   */
  status: "True" | "False" | "Unknown";
  /**
   * Machine-readable reason for the last transition, in CamelCase.
   */
  reason: string;
  /**
   * What happened and what to do next, for a person.
   */
  message: string;
  /**
   * The metadata.generation the condition was set for.
   */
  observedGeneration?: number;
  /**
   * When status last changed.
   */
  lastTransitionTime: string;
}

export interface BusRoute extends KubeObject, BusRouteBody {
  apiVersion: "symbiont.dev/v1alpha1";
  kind: "BusRoute";
}
