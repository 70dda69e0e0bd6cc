import type { GatewayFile } from "../config.js";
import type { Bus } from "../events/dapr-bus.js";
import type { Ledger } from "./ledger.js";
import type { PartnerDispatcher } from "./partner-dispatcher.js";
import type { RouteTable } from "./route-table.js";
import type { SchemaValidator } from "./schema-validator.js";

/** What the gateway's use cases share: configuration, the ledger, the buses. */
export interface GatewayContext {
  readonly file: GatewayFile;
  readonly appId: string;
  readonly routes: RouteTable;
  readonly validator: SchemaValidator;
  readonly ledger: Ledger;
  readonly bus: Bus;
  readonly dispatchers: ReadonlyMap<string, PartnerDispatcher>;
  readonly signingKey: string | undefined;
  readonly partnerSecrets: ReadonlyMap<string, string>;
  readonly partnerPreviousSecrets: ReadonlyMap<string, string>;
  readonly counters: GatewayCounters;
  /** Inbound messages being published now, by ledger key (publishInbound). */
  readonly inboundPublishing: Map<string, Promise<void>>;
  /**
   * Dropped messages being replayed now, by ledger key: republished, their replay not yet
   * recorded. A drop of one coming back meanwhile waits for that record (handleDeadLetter).
   */
  readonly dropsReplaying: Map<string, Promise<unknown>>;
}

/** Hooks for metrics, so the domain does not import prom-client. */
export interface GatewayCounters {
  received(
    pubsub: string,
    topic: string,
    outcome: "forwarded" | "queued" | "duplicate" | "invalid" | "dropped",
  ): void;
  inbound(partner: string, outcome: string): void;
  /** A bulk delivery from the sidecar and how many messages it carried. */
  bulkDelivery(topic: string, entries: number): void;
}
