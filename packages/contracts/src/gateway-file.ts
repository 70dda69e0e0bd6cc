import { z } from "zod";
import { deadLetterSuffix } from "./ecosystem-names.js";
import { defaultWebhookToleranceMs } from "./webhook-signature.js";

// The bus gateway's configuration file (docs/gateway-config.md), written once: the operator
// renders it into the gateway's ConfigMap (the input type: defaults may be left out), the
// gateway parses it at start (the output type: defaults filled in). A file that breaks it
// stops the gateway with a message naming the field.

const name = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    "must be a Kubernetes object name (DNS-1123 subdomain)",
  );
const topic = z
  .string()
  .min(1)
  .max(249)
  .regex(/^[A-Za-z0-9._-]+$/, "must be letters, digits, '.', '_' or '-'")
  .refine((value) => !value.endsWith(deadLetterSuffix), `must not end with ${deadLetterSuffix}`);
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name");

export const deliveryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(1000),
  backoffInitialMs: z.number().int().min(1),
  backoffMaxMs: z.number().int().min(1),
  bufferTtlMs: z.number().int().min(1000),
  /** How long one delivery attempt may take before it counts as a timeout (default 10 s). */
  timeoutMs: z.number().int().min(10).default(10_000),
  /** Consecutive transport failures that open a partner's circuit (default 3). */
  circuitThreshold: z.number().int().min(1).default(3),
});
export type DeliveryPolicy = z.infer<typeof deliveryPolicySchema>;

/** A partner's delivery: the policy, and how many messages it is sent at once. */
export const partnerDeliverySchema = deliveryPolicySchema.extend({
  /**
   * Messages sent to the partner at once (default 1: one after the other, in the order they
   * were taken in). Above 1 the partner may see them out of order.
   */
  concurrency: z.number().int().min(1).max(32).default(1),
});

export const redactRuleSchema = z.object({
  path: z
    .string()
    .regex(
      /^\$(\.[A-Za-z0-9_-]+|\[\d+\]|\[\*\])+$/,
      "must be a JSON path like $.a.b or $.items[*].c",
    ),
  action: z.enum(["remove", "mask"]),
});
export type RedactRule = z.infer<typeof redactRuleSchema>;

export const routeSchema = z.object({
  name,
  topic,
  direction: z.enum(["export", "import"]),
  /** JSON Schema of the payload, compiled by compileJsonSchema (2020-12 or draft-07). */
  schema: z.record(z.string(), z.unknown()).optional(),
  redact: z.array(redactRuleSchema).default([]),
  sign: z.boolean().default(false),
});
export type RouteConfig = z.infer<typeof routeSchema>;
export type RouteInput = z.input<typeof routeSchema>;

export const partnerAuthSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hmac"),
    /** The key that signs deliveries and verifies webhooks (docs/gateway-config.md). */
    secretEnv: envName,
    /** While a key is rotated: the previous key, still accepted on webhooks, never used to sign. */
    previousSecretEnv: envName.optional(),
    /** How far a webhook's timestamp may be from the gateway's clock (default 5 min). */
    toleranceMs: z.number().int().min(1_000).max(86_400_000).default(defaultWebhookToleranceMs),
  }),
  z.object({ type: z.literal("bearer"), secretEnv: envName }),
  z.object({ type: z.literal("basic"), secretEnv: envName }),
  z.object({ type: z.literal("none") }),
]);
export type PartnerAuth = z.infer<typeof partnerAuthSchema>;

export const partnerCategories = [
  "telephony",
  "messaging",
  "mail",
  "ads",
  "acquiring",
  "sso",
  "industry",
  "servicing",
] as const;

export const partnerSchema = z.object({
  name,
  category: z.enum(partnerCategories),
  direction: z.enum(["outbound", "inbound", "both"]),
  binding: z.string().min(1),
  consumes: z.array(topic).default([]),
  produces: z.array(topic).default([]),
  delivery: partnerDeliverySchema,
  rateLimit: z
    .object({ requestsPerSecond: z.number().positive(), burst: z.number().int().min(1) })
    .default({ requestsPerSecond: 100, burst: 200 }),
  auth: partnerAuthSchema.default({ type: "none" }),
});
export type PartnerConfig = z.infer<typeof partnerSchema>;
export type PartnerInput = z.input<typeof partnerSchema>;

export const gatewayFileSchema = z
  .object({
    ecosystem: name,
    namespace: name,
    internalPubsub: z.string().min(1),
    corporatePubsub: z.string().min(1),
    delivery: deliveryPolicySchema.extend({ deadLetter: z.boolean().default(true) }),
    signing: z.object({ keyEnv: envName }).optional(),
    /**
     * Delivered ledger entries older than this are kept only as per-day counts (default 7
     * days; at least 1 hour).
     */
    ledgerRetentionMs: z
      .number()
      .int()
      .min(3_600_000)
      .default(7 * 86_400_000),
    routes: z.array(routeSchema).default([]),
    partners: z.array(partnerSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.routes.forEach((route, index) => {
      const key = `${route.direction}:${route.topic}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", index, "topic"],
          message: `a second ${route.direction} route for ${route.topic}`,
        });
      }
      seen.add(key);
      if (route.sign && !file.signing) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", index, "sign"],
          message: "needs signing.keyEnv",
        });
      }
    });
    const names = new Set<string>();
    file.partners.forEach((partner, index) => {
      if (names.has(partner.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["partners", index, "name"],
          message: `duplicate partner ${partner.name}`,
        });
      }
      names.add(partner.name);
    });
  });
/** The file as the gateway reads it (defaults filled in). */
export type GatewayFile = z.infer<typeof gatewayFileSchema>;
/** The file as the operator writes it (fields with defaults may be left out). */
export type GatewayFileInput = z.input<typeof gatewayFileSchema>;
