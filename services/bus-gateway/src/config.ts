import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import {
  gatewayFileSchema,
  gatewayName,
  gatewayPorts,
  type GatewayFile,
} from "@symbiont/contracts";
import { z } from "zod";

// The gateway's configuration: a JSON file rendered by the operator (its schema is the
// contract in @symbiont/contracts, docs/gateway-config.md) plus the process environment.
// Both are validated at start; a wrong value stops the gateway with a message that names
// the field.

export {
  gatewayFileSchema,
  deliveryPolicySchema,
  partnerDeliverySchema,
  type GatewayFile,
  type DeliveryPolicy,
  type RedactRule,
  type RouteConfig,
  type PartnerAuth,
  type PartnerConfig,
} from "@symbiont/contracts";

const envSchema = z.object({
  SYMBIONT_GATEWAY_CONFIG: z.string().min(1),
  /** What its Dapr sidecar calls (deliveries), probes and metrics. */
  PORT: z.coerce.number().int().min(1).max(65535).default(gatewayPorts.http),
  /** Partner webhooks (`/inbound/*`) only: the port the public Service exposes. */
  SYMBIONT_PUBLIC_PORT: z.coerce.number().int().min(0).max(65535).default(gatewayPorts.webhooks),
  /** The admin API (dead letters, replay, the ledger): never in the public Service. */
  SYMBIONT_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(gatewayPorts.admin),
  /** Outside Kubernetes only: the admin API's bearer token (in a cluster, RBAC decides). */
  SYMBIONT_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  DATABASE_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// URI"),
  /** The token the gateway's Dapr sidecar presents (`dapr-api-token`); deliveries need it. */
  APP_API_TOKEN: z
    .string({ error: "is not set: deliveries are taken only from the sidecar that presents it" })
    .min(16, "must be at least 16 characters"),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500),
  DAPR_GRPC_PORT: z.coerce.number().int().default(50001),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** Largest accepted request body (bytes). */
  SYMBIONT_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /**
   * The Lease that makes one of several replicas the active one (the operator sets it); unset,
   * the gateway is the only replica and active from the start.
   */
  SYMBIONT_GATEWAY_LEASE: z.string().min(1).optional(),
  /** How long a dead active replica holds the Lease before a standby takes it (seconds). */
  SYMBIONT_GATEWAY_LEASE_SECONDS: z.coerce.number().min(2).max(120).default(10),
  /** This replica's name on the Lease (the pod's name). */
  POD_NAME: z.string().min(1).optional(),
  /** Where the other replicas reach this one (the pod's IP). */
  POD_IP: z.string().min(1).default("127.0.0.1"),
  /** How often the status reporter may write (ms). */
  SYMBIONT_STATUS_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
});

export interface GatewayConfig {
  readonly file: GatewayFile;
  readonly appId: string;
  readonly port: number;
  readonly publicPort: number;
  readonly adminPort: number;
  /** Set only outside Kubernetes (never logged). */
  readonly adminToken: string | undefined;
  readonly databaseUrl: string;
  readonly daprHttpPort: number;
  /** The token the sidecar presents on deliveries (never logged). */
  readonly appToken: string;
  readonly daprGrpcPort: number;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  readonly statusIntervalMs: number;
  /** Secrets named by the file, read from the environment (never from the file). */
  readonly signingKey: string | undefined;
  readonly partnerSecrets: ReadonlyMap<string, string>;
  /** Partners' previous HMAC keys while they are rotated: accepted on webhooks, never signing. */
  readonly partnerPreviousSecrets: ReadonlyMap<string, string>;
  /** Set when replicas elect the active one; undefined for a single gateway. */
  readonly lease: LeaseConfig | undefined;
}

/** One replica among several: the Lease it competes for and how others reach it. */
export interface LeaseConfig {
  readonly name: string;
  readonly identity: string;
  readonly durationSeconds: number;
  readonly host: string;
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
  const partnerPreviousSecrets = new Map<string, string>();
  file.partners.forEach((partner, index) => {
    if (partner.auth.type !== "none") {
      partnerSecrets.set(
        partner.name,
        required(partner.auth.secretEnv, `partners.${index}.auth.secretEnv`),
      );
    }
    if (partner.auth.type === "hmac" && partner.auth.previousSecretEnv) {
      partnerPreviousSecrets.set(
        partner.name,
        required(partner.auth.previousSecretEnv, `partners.${index}.auth.previousSecretEnv`),
      );
    }
  });
  return {
    file,
    appId: gatewayName(file.ecosystem),
    port: e.PORT,
    publicPort: e.SYMBIONT_PUBLIC_PORT,
    adminPort: e.SYMBIONT_ADMIN_PORT,
    adminToken: e.SYMBIONT_ADMIN_TOKEN,
    databaseUrl: e.DATABASE_URL,
    daprHttpPort: e.DAPR_HTTP_PORT,
    appToken: e.APP_API_TOKEN,
    daprGrpcPort: e.DAPR_GRPC_PORT,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.SYMBIONT_MAX_BODY_BYTES,
    statusIntervalMs: e.SYMBIONT_STATUS_INTERVAL_MS,
    signingKey,
    partnerSecrets,
    partnerPreviousSecrets,
    lease: e.SYMBIONT_GATEWAY_LEASE
      ? {
          name: e.SYMBIONT_GATEWAY_LEASE,
          identity: e.POD_NAME ?? `${hostname()}-${process.pid}`,
          durationSeconds: e.SYMBIONT_GATEWAY_LEASE_SECONDS,
          host: e.POD_IP,
        }
      : undefined,
  };
}
