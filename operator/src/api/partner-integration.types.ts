// Generated from crds/partnerintegrations.symbiont.dev.yaml by scripts/generate-types.ts (make generate). Do not edit.

import type { KubeObject } from "../kube/kube-object.js";

/**
 * A PartnerIntegration is one external system (telephony, messaging, ads, acquiring, SSO, industry services, servicing software) connected to the corporate bus through the bus gateway: outbound, the gateway delivers the topics in consumes to the partner's endpoint through a Dapr binding, retrying, buffering while the partner is down and keeping dead letters; inbound, the partner's signed webhooks (POST /inbound/<name> on the gateway) are published to the topics in produces.
 */
export interface PartnerIntegrationBody {
  spec: PartnerIntegrationSpec;
  status?: PartnerIntegrationStatus;
}
/**
 * The desired integration.
 */
export interface PartnerIntegrationSpec {
  /**
   * The Ecosystem whose corporate bus this partner joins, in the same namespace.
   */
  ecosystemRef: {
    /**
     * Name of the Ecosystem.
     */
    name: string;
  };
  /**
   * What the partner is: telephony (IVR, call queues, callbacks), messaging (SMS, messengers), mail, ads (call tracking, audiences), acquiring (payments, billing), sso, industry (e-signature, registries, credit history...), servicing (document flow, accounting, BI).
   */
  category:
    "telephony" | "messaging" | "mail" | "ads" | "acquiring" | "sso" | "industry" | "servicing";
  /**
   * outbound (the partner receives), inbound (the partner sends webhooks) or both (default outbound).
   */
  direction: "outbound" | "inbound" | "both";
  /**
   * Allow an http:// endpoint (default false: https:// only). For a partner reached only inside a trusted network (or a local simulator).
   */
  allowPlainHttp: boolean;
  /**
   * The partner's URL the gateway delivers to (outbound and both).
   */
  endpoint?: string;
  auth: PartnerAuth;
  /**
   * The Dapr output binding that reaches the partner.
   */
  binding: {
    /**
     * Dapr binding type; http (bindings.http) is what Symbiont renders today (default http).
     */
    type: "http";
    /**
     * Time the partner has to answer one delivery, as a Go duration (default 10s).
     */
    timeout: string;
  };
  /**
   * Corporate-bus topics delivered to the partner.
   *
   * @maxItems 100
   */
  consumes?: string[];
  /**
   * Corporate-bus topics the partner's inbound webhooks are published to.
   *
   * @maxItems 100
   */
  produces?: string[];
  delivery?: DeliveryOverrides;
  /**
   * Requests a second the gateway sends to, and accepts from, this partner.
   */
  rateLimit: {
    /**
     * Sustained rate (default 50).
     */
    requestsPerSecond: number;
    /**
     * Requests allowed at once above the rate (default 100).
     */
    burst: number;
  };
}
/**
 * How the gateway and the partner prove who they are, with a credential the bus gateway reads from a Secret (never written here). hmac: the key signs outbound messages and verifies inbound webhooks (webhook-id, webhook-timestamp, webhook-signature over id.timestamp.topic.body; see docs/gateway-config.md); bearer: the token (sent and expected as "Authorization: Bearer <token>"); basic: "user:password".
 */
export interface PartnerAuth {
  /**
   * none, bearer, basic or hmac (default none).
   */
  type: "none" | "bearer" | "basic" | "hmac";
  /**
   * The Secret key holding the credential.
   */
  secretRef?: {
    /**
     * Name of the Secret, in the partner's namespace.
     */
    name: string;
    /**
     * Key of the Secret.
     */
    key: string;
  };
  /**
   * hmac only, while a key is rotated: the Secret key holding the previous key. Webhooks signed with either key are accepted; deliveries are signed with secretRef's. Remove it once the partner signs with the new key.
   */
  previousSecretRef?: {
    /**
     * Name of the Secret, in the partner's namespace.
     */
    name: string;
    /**
     * Key of the Secret.
     */
    key: string;
  };
  /**
   * hmac only: how far a webhook's webhook-timestamp may be from the gateway's clock, either way, as a Go duration (default 5m, between 1s and 24h); webhook ids are remembered this long, so a captured webhook cannot be sent again.
   */
  tolerance?: string;
}
/**
 * Overrides of the ecosystem's delivery policy for this partner; what is not set comes from the Ecosystem's spec.delivery.
 */
export interface DeliveryOverrides {
  /**
   * Delivery attempts of one message before it becomes a dead letter.
   */
  maxAttempts?: number;
  /**
   * Exponential backoff between attempts.
   */
  backoff?: {
    /**
     * Wait before the second attempt, as a Go duration.
     */
    initial?: string;
    /**
     * Longest wait between two attempts, as a Go duration.
     */
    max?: string;
  };
  /**
   * How long messages are buffered while the partner is down, as a Go duration.
   */
  bufferTTL?: string;
  /**
   * Messages sent to the partner at once (default 1: one after the other, in the order the gateway took them in). Above 1 the partner may see them out of order, and a backlog replayed after an outage drains up to that many times faster.
   */
  concurrency?: number;
}
/**
 * The observed state: Ready from the operator; delivery counts and the Delivering and Buffering conditions from the bus gateway.
 */
export interface PartnerIntegrationStatus {
  /**
   * The metadata.generation this status describes.
   */
  observedGeneration?: number;
  /**
   * Ready (binding and routes rendered), Delivering (messages reach the partner), Buffering (messages wait for the partner, with the backlog and its oldest age).
   */
  conditions?: Condition[];
  /**
   * Name of the Dapr binding Component that reaches the partner.
   */
  bindingComponent?: string;
  delivery?: DeliveryCounts;
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
/**
 * Counts from the bus gateway's delivery ledger.
 */
export interface DeliveryCounts {
  /**
   * Messages the partner accepted.
   */
  delivered?: number;
  /**
   * Messages between attempts.
   */
  retrying?: number;
  /**
   * Messages held while the partner's circuit is open.
   */
  buffered?: number;
  /**
   * Messages that exhausted the delivery policy.
   */
  deadLettered?: number;
  /**
   * The last delivery error.
   */
  lastError?: string;
  /**
   * Age of the oldest message not yet delivered.
   */
  oldestPendingSeconds?: number;
  /**
   * When the gateway last reported.
   */
  updatedAt?: string;
}

export interface PartnerIntegration extends KubeObject, PartnerIntegrationBody {
  apiVersion: "symbiont.dev/v1alpha1";
  kind: "PartnerIntegration";
}
