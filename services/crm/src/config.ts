import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";

export const crmConfigShape = {
  ...serviceEnv,
  /** Country code given to national phone numbers without one ("8 912 ..." / "912 ..."). */
  CRM_DEFAULT_COUNTRY_CODE: z
    .string()
    .regex(/^\d{1,3}$/, "expected 1 to 3 digits")
    .default("7"),
  /** Most touchpoints resolved together (one group commit). */
  CRM_MAX_BATCH: z.coerce.number().int().min(1).max(2_000).default(500),
};

export type CrmConfig = ReturnType<typeof loadCrmConfig>;

export function loadCrmConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(crmConfigShape, env);
}
