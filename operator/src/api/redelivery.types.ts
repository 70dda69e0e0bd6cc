// Generated from crds/redeliveries.symbiont.dev.yaml by scripts/generate-types.ts (make generate). Do not edit.

import type { KubeObject } from "../kube/kube-object.js";

/**
 * A Redelivery replays the dead letters of an Ecosystem that its selector matches, once, at a rate limit: the ecosystem's bus gateway selects them in its ledger when it sees the Redelivery, replays them as `kubectl symbiont deadletters replay` does (a partner's dead letter goes back to its partner's queue, a route's through its route, a refused message to its topic) and reports matched, replayed and failed in status. Create a new Redelivery to replay again; delete it when done (the ledger keeps each message's history).
 */
export interface RedeliveryBody {
  /**
   * Which dead letters to replay, and how fast.
   */
  spec: {
    /**
     * The Ecosystem (same namespace) whose bus gateway holds the dead letters.
     */
    ecosystemRef: {
      /**
       * Name of the Ecosystem.
       */
      name: string;
    };
    /**
     * Which dead letters: every field set must match (AND). At least one field is required; to replay everything, say so with all: true.
     */
    selector: {
      /**
       * Every dead letter of the ecosystem (alone, not with other fields).
       */
      all?: boolean;
      /**
       * Dead letters of deliveries to this partner (a PartnerIntegration's name).
       */
      partner?: string;
      /**
       * Dead letters of messages published on this topic.
       */
      topic?: string;
      /**
       * partner (a delivery to a partner), export or import (a BusRoute crossing), inbound (a partner's webhook), drop (a message a subscriber refused). A message the gateway could never take is kept for inspection and not replayed.
       */
      kind?: "partner" | "export" | "import" | "inbound" | "drop";
      /**
       * Text the dead letter's last error contains (case-insensitive), e.g. "HTTP 503" or "schema".
       */
      reason?: string;
      /**
       * Dead letters that became dead at or after this time (RFC 3339).
       */
      since?: string;
      /**
       * Dead letters that became dead before this time (RFC 3339).
       */
      until?: string;
    };
    /**
     * How fast the dead letters are replayed, so a recovered partner is not flooded.
     */
    rateLimit: {
      /**
       * Dead letters replayed per second (default 10).
       */
      perSecond: number;
    };
  };
  /**
   * The progress of the replay, written by the bus gateway.
   */
  status?: {
    /**
     * The metadata.generation this status describes.
     */
    observedGeneration?: number;
    /**
     * Dead letters the selector matched when the replay started.
     */
    matched?: number;
    /**
     * Dead letters replayed so far (requeued, forwarded or republished).
     */
    replayed?: number;
    /**
     * Dead letters that could not be replayed (still invalid, or their partner or route is gone).
     */
    failed?: number;
    /**
     * The first failures, with the ledger key and the error.
     *
     * @maxItems 10
     *
     * Items: One dead letter that could not be replayed.
     */
    failures?: {
      /**
       * The ledger key of the dead letter (`kubectl symbiont trace` shows its history).
       */
      key: string;
      /**
       * Why it could not be replayed.
       */
      error: string;
    }[];
    /**
     * The bus gateway instance running the replay.
     */
    executor?: string;
    /**
     * When the executor last wrote progress; another gateway instance takes over a replay whose executor has been silent for two minutes.
     */
    heartbeatTime?: string;
    /**
     * When the replay started.
     */
    startTime?: string;
    /**
     * When the replay finished.
     */
    completionTime?: string;
    /**
     * Complete (the replay has finished), Failed (some dead letters could not be replayed) and Ready (finished with every matched dead letter replayed).
     */
    conditions?: {
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
    }[];
  };
}

export interface Redelivery extends KubeObject, RedeliveryBody {
  apiVersion: "symbiont.dev/v1alpha1";
  kind: "Redelivery";
}
