import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { z } from "zod";
import { defaultGatewayImage } from "./controllers/ecosystem/desired-gateway.js";

// The operator's configuration, from its environment, validated at start: a wrong value stops
// the process with a message naming the variable.

const booleanFromEnv = z
  .enum(["true", "false"], { message: "must be true or false" })
  .transform((value) => value === "true");

const schema = z.object({
  SYMBIONT_WATCH_NAMESPACE: z.string().optional(),
  SYMBIONT_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SYMBIONT_HTTP_HOST: z.string().default("0.0.0.0"),
  SYMBIONT_TOPOLOGY_ENABLED: booleanFromEnv.default(true),
  SYMBIONT_TOPOLOGY_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  SYMBIONT_LEADER_ELECTION: booleanFromEnv.default(true),
  SYMBIONT_LEASE_NAME: z.string().min(1).default("symbiont-operator"),
  SYMBIONT_LEASE_NAMESPACE: z.string().optional(),
  SYMBIONT_LEASE_DURATION_SECONDS: z.coerce.number().int().min(2).default(15),
  SYMBIONT_RENEW_DEADLINE_SECONDS: z.coerce.number().int().min(1).default(10),
  SYMBIONT_RETRY_PERIOD_SECONDS: z.coerce.number().int().min(1).default(2),
  SYMBIONT_WORKERS: z.coerce.number().int().min(1).max(64).default(8),
  SYMBIONT_KUBE_QPS: z.coerce.number().positive().default(100),
  SYMBIONT_KUBE_BURST: z.coerce.number().int().positive().default(200),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  POD_NAME: z.string().optional(),
  /** The bus gateway's image for every Ecosystem that names none (chart: gateway.image). */
  SYMBIONT_GATEWAY_IMAGE: z
    .string()
    .regex(/^[^\s]+$/, "must be an image reference without spaces")
    .optional(),
});

export interface OperatorConfig {
  watchNamespace?: string;
  httpPort: number;
  httpHost: string;
  /** The topology page's own port (on httpHost), or undefined when it is off. */
  topologyPort?: number;
  leaderElection: boolean;
  lease: {
    name: string;
    namespace: string;
    durationSeconds: number;
    renewDeadlineSeconds: number;
    retryPeriodSeconds: number;
  };
  identity: string;
  workers: number;
  kubeQps: number;
  kubeBurst: number;
  logLevel: string;
  /** The bus gateway's image where an Ecosystem's spec.gateway.image is empty. */
  gatewayImage: string;
}

const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`invalid operator configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  return {
    watchNamespace: e.SYMBIONT_WATCH_NAMESPACE || undefined,
    httpPort: e.SYMBIONT_HTTP_PORT,
    httpHost: e.SYMBIONT_HTTP_HOST,
    topologyPort: e.SYMBIONT_TOPOLOGY_ENABLED ? e.SYMBIONT_TOPOLOGY_PORT : undefined,
    leaderElection: e.SYMBIONT_LEADER_ELECTION,
    lease: {
      name: e.SYMBIONT_LEASE_NAME,
      namespace: e.SYMBIONT_LEASE_NAMESPACE ?? inClusterNamespace() ?? "default",
      durationSeconds: e.SYMBIONT_LEASE_DURATION_SECONDS,
      renewDeadlineSeconds: e.SYMBIONT_RENEW_DEADLINE_SECONDS,
      retryPeriodSeconds: e.SYMBIONT_RETRY_PERIOD_SECONDS,
    },
    identity: e.POD_NAME ?? `${hostname()}-${process.pid}`,
    workers: e.SYMBIONT_WORKERS,
    kubeQps: e.SYMBIONT_KUBE_QPS,
    kubeBurst: e.SYMBIONT_KUBE_BURST,
    logLevel: e.LOG_LEVEL,
    gatewayImage: e.SYMBIONT_GATEWAY_IMAGE || defaultGatewayImage(),
  };
}

function inClusterNamespace(): string | undefined {
  try {
    return readFileSync(serviceAccountNamespace, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
