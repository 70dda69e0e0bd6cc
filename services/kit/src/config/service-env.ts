import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);

/**
 * The environment every module receives (docs/module-contract.md). Services spread this
 * into their own shape and add what they need.
 */
export const serviceEnv = {
  PORT: port.default(8080),
  SYMBIONT_APP_ID: z.string().min(1),
  SYMBIONT_MODULE: z.string().min(1).optional(),
  SYMBIONT_ECOSYSTEM: z.string().min(1).optional(),
  SYMBIONT_PUBSUB_INTERNAL: z.string().min(1),
  DATABASE_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "expected a mongodb:// URI"),
  DAPR_HTTP_PORT: port.default(3500),
  DAPR_HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  /** How often unpublished events are retried (the outbox relay). */
  OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(102_400),
};
