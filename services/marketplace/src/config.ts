import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";

export const marketplaceConfigShape = {
  ...serviceEnv,
  /**
   * The operator's token for the admin API (onboarding, rules, keys, reports), from a
   * Secret (`secretKeyRef`). Long enough that guessing it is hopeless.
   */
  MARKETPLACE_ADMIN_TOKEN: z.string().min(24, "expected at least 24 characters"),
  /** Requests per second one partner API key may make (token bucket), unless the partner has its own. */
  MARKETPLACE_KEY_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(20),
  /** Requests a key may make at once after a quiet spell (the bucket's size). */
  MARKETPLACE_KEY_BURST: z.coerce.number().int().min(1).max(100_000).default(40),
  /** How long the keys a rotation replaces keep working, unless the rotation says otherwise. */
  MARKETPLACE_KEY_OVERLAP_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
};

export type MarketplaceConfig = ReturnType<typeof loadMarketplaceConfig>;

export function loadMarketplaceConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(marketplaceConfigShape, env);
}
