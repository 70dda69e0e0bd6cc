import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";
import { parseCallers } from "./http/callers.js";

export const analyticsConfigShape = {
  ...serviceEnv,
  /**
   * Who may call the reports API: one caller per line (or separated by ","), as
   * `<name>:<role>:<sha256 hex of the caller's token>`, roles `reader`, `planner`, `admin`.
   * From a Secret (secretKeyRef). Unset: every API call but health and events is refused.
   */
  ANALYTICS_CALLERS: z
    .string()
    .default("")
    .transform((text, context) => {
      const parsed = parseCallers(text);
      if (typeof parsed === "string") {
        context.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  /** The currency of reports and income plans when a caller names none. */
  ANALYTICS_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, "expected an ISO 4217 code")
    .default("RUB"),
  /** Country code for national phone numbers: keep it equal to CRM's CRM_DEFAULT_COUNTRY_CODE. */
  ANALYTICS_DEFAULT_COUNTRY_CODE: z
    .string()
    .regex(/^\d{1,3}$/, "expected 1 to 3 digits")
    .default("7"),
};

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;

export function loadAnalyticsConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(analyticsConfigShape, env);
}
