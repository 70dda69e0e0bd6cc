import { readFileSync } from "node:fs";
import { z } from "zod";

// The gateway's configuration: a JSON file rendered by the operator (docs/gateway-config.md)
// plus the process environment. Both are validated at start; a wrong value stops the
// gateway with a message that names the field.

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
  .refine((value) => !value.endsWith(".deadletter"), "must not end with .deadletter");
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
  schema: z.record(z.string(), z.unknown()).optional(),
  redact: z.array(redactRuleSchema).default([]),
  sign: z.boolean().default(false),
});
export type RouteConfig = z.infer<typeof routeSchema>;

export const partnerAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hmac"), secretEnv: envName }),
  z.object({ type: z.literal("bearer"), secretEnv: envName }),
  z.object({ type: z.literal("basic"), secretEnv: envName }),
  z.object({ type: z.literal("none") }),
]);
export type PartnerAuth = z.infer<typeof partnerAuthSchema>;

export const partnerSchema = z.object({
  name,
  category: z.enum([
    "telephony",
    "messaging",
    "mail",
    "ads",
    "acquiring",
    "sso",
    "industry",
    "servicing",
  ]),
  direction: z.enum(["outbound", "inbound", "both"]),
  binding: z.string().min(1),
  consumes: z.array(topic).default([]),
  produces: z.array(topic).default([]),
  delivery: deliveryPolicySchema,
  rateLimit: z
    .object({ requestsPerSecond: z.number().positive(), burst: z.number().int().min(1) })
    .default({ requestsPerSecond: 100, burst: 200 }),
  auth: partnerAuthSchema.default({ type: "none" }),
});
export type PartnerConfig = z.infer<typeof partnerSchema>;

export const gatewayFileSchema = z
  .object({
    ecosystem: name,
    namespace: name,
    internalPubsub: z.string().min(1),
    corporatePubsub: z.string().min(1),
    delivery: deliveryPolicySchema.extend({ deadLetter: z.boolean().default(true) }),
    signing: z.object({ keyEnv: envName }).optional(),
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
export type GatewayFile = z.infer<typeof gatewayFileSchema>;

const envSchema = z.object({
  SYMBIONT_GATEWAY_CONFIG: z.string().min(1),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// URI"),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500),
  DAPR_GRPC_PORT: z.coerce.number().int().default(50001),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** Largest accepted request body (bytes). */
  SYMBIONT_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /** How often the status reporter may write (ms). */
  SYMBIONT_STATUS_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
});

export interface GatewayConfig {
  readonly file: GatewayFile;
  readonly appId: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly daprHttpPort: number;
  readonly daprGrpcPort: number;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  readonly statusIntervalMs: number;
  /** Secrets named by the file, read from the environment (never from the file). */
  readonly signingKey: string | undefined;
  readonly partnerSecrets: ReadonlyMap<string, string>;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function describeIssues(source: string, error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${source}: ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`,
    )
    .join("; ");
}

/** Parses the file's JSON text; throws ConfigError naming the field. */
export function parseGatewayFile(text: string, source = "gateway config"): GatewayFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = gatewayFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(source, parsed.error));
  return parsed.data;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(describeIssues("environment", parsedEnv.error));
  const e = parsedEnv.data;
  let text: string;
  try {
    text = readFileSync(e.SYMBIONT_GATEWAY_CONFIG, "utf8");
  } catch (error) {
    throw new ConfigError(
      `SYMBIONT_GATEWAY_CONFIG: cannot read ${e.SYMBIONT_GATEWAY_CONFIG} (${(error as Error).message})`,
    );
  }
  const file = parseGatewayFile(text, e.SYMBIONT_GATEWAY_CONFIG);
  const required = (variable: string, field: string): string => {
    const value = env[variable];
    if (!value) throw new ConfigError(`environment: ${variable} (named by ${field}) is not set`);
    return value;
  };
  const signingKey = file.signing ? required(file.signing.keyEnv, "signing.keyEnv") : undefined;
  const partnerSecrets = new Map<string, string>();
  file.partners.forEach((partner, index) => {
    if (partner.auth.type !== "none") {
      partnerSecrets.set(
        partner.name,
        required(partner.auth.secretEnv, `partners.${index}.auth.secretEnv`),
      );
    }
  });
  return {
    file,
    appId: `${file.ecosystem}-bus-gateway`,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    daprHttpPort: e.DAPR_HTTP_PORT,
    daprGrpcPort: e.DAPR_GRPC_PORT,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.SYMBIONT_MAX_BODY_BYTES,
    statusIntervalMs: e.SYMBIONT_STATUS_INTERVAL_MS,
    signingKey,
    partnerSecrets,
  };
}
