import { z } from "zod";
import { parsePlanPeriod, type PlanPeriod } from "./plan-period.js";

// A plan for a period, entered through the API: how much income, how many sales (paid
// orders), orders or completed tasks the company (or one manager) should reach.

export const planMetrics = ["income", "sales", "orders", "tasks-completed"] as const;
export type PlanMetric = (typeof planMetrics)[number];

export const plainId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "expected letters, digits, '_', '.', ':' and '-'");

export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 code such as RUB");

const periodSchema = z.string().transform((text, context): PlanPeriod => {
  const parsed = parsePlanPeriod(text.trim());
  if (typeof parsed === "string") {
    context.addIssue({ code: "custom", message: parsed });
    return z.NEVER;
  }
  return parsed;
});

export const planInputSchema = z
  .strictObject({
    metric: z.enum(planMetrics),
    period: periodSchema,
    target: z.number().finite().min(0).max(1e12),
    /** Income plans only; the service's reporting currency when left out. */
    currency: currencyCode.optional(),
    /** Tasks-completed plans may be for one manager. */
    managerId: plainId.optional(),
    title: z.string().trim().max(200).optional(),
  })
  .superRefine((plan, context) => {
    if (plan.currency !== undefined && plan.metric !== "income")
      context.addIssue({
        code: "custom",
        path: ["currency"],
        message: "only an income plan has a currency",
      });
    if (plan.managerId !== undefined && plan.metric !== "tasks-completed")
      context.addIssue({
        code: "custom",
        path: ["managerId"],
        message: "only a tasks-completed plan is for one manager",
      });
    if (plan.metric !== "income" && !Number.isInteger(plan.target))
      context.addIssue({
        code: "custom",
        path: ["target"],
        message: `a ${plan.metric} target is a whole number`,
      });
  });

export type PlanInput = z.output<typeof planInputSchema>;

export interface Plan {
  id: string;
  metric: PlanMetric;
  period: string;
  /** Epoch days, inclusive. */
  from: number;
  to: number;
  target: number;
  currency?: string;
  managerId?: string;
  title?: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}
