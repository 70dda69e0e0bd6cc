import type { AnalyticsState } from "./analytics-state.js";
import { dayKey, epochDay } from "./calendar.js";
import { cashFlow } from "./cash-flow.js";
import type { Plan } from "./plan.js";

export interface PlanVsFactRow {
  planId: string;
  title?: string;
  metric: Plan["metric"];
  period: string;
  from: string;
  to: string;
  managerId?: string;
  currency?: string;
  target: number;
  fact: number;
  /** fact / target. */
  progress: number;
  /** The share of the target due by today if it were reached evenly over the period. */
  expectedByNow: number;
  pace: "not-started" | "ahead" | "on-track" | "behind" | "reached" | "missed";
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
// Within 5 % of the even pace counts as on track.
const tolerance = 0.05;

/** The fact a plan's metric reached on the days `from`..`to`. */
export function planFact(
  state: AnalyticsState,
  plan: Plan,
  from: number,
  to: number,
  currency: string,
): number {
  const inRange = (atMs: number | undefined) => {
    if (atMs === undefined) return false;
    const day = epochDay(atMs);
    return day >= from && day <= to;
  };
  let count = 0;
  switch (plan.metric) {
    case "income":
      return cashFlow(state, {
        from,
        to,
        granularity: "month",
        currency: plan.currency ?? currency,
      }).totals.net;
    case "sales":
      for (const order of state.orders.values()) if (inRange(order.paidAt)) count++;
      return count;
    case "orders":
      for (const order of state.orders.values()) if (inRange(order.createdAt)) count++;
      return count;
    case "tasks-completed":
      for (const task of state.tasks.values())
        if (
          inRange(task.completedAt) &&
          (plan.managerId === undefined || task.assignee === plan.managerId)
        )
          count++;
      return count;
  }
}

/** Each plan against what happened so far in its period, and whether it keeps pace. */
export function planVsFact(
  state: AnalyticsState,
  plans: Plan[],
  nowMs: number,
  currency: string,
): PlanVsFactRow[] {
  const today = epochDay(nowMs);
  return plans.map((plan) => {
    const days = plan.to - plan.from + 1;
    const elapsed = Math.min(days, Math.max(0, today - plan.from + 1));
    const fact =
      elapsed === 0 ? 0 : planFact(state, plan, plan.from, Math.min(plan.to, today), currency);
    const progress = plan.target === 0 ? (fact > 0 ? 1 : 0) : fact / plan.target;
    const expected = elapsed / days;
    const pace: PlanVsFactRow["pace"] =
      elapsed === 0
        ? "not-started"
        : elapsed === days
          ? progress >= 1
            ? "reached"
            : "missed"
          : progress >= 1
            ? "reached"
            : progress > expected + tolerance
              ? "ahead"
              : progress < expected - tolerance
                ? "behind"
                : "on-track";
    return {
      planId: plan.id,
      ...(plan.title === undefined ? {} : { title: plan.title }),
      metric: plan.metric,
      period: plan.period,
      from: dayKey(plan.from),
      to: dayKey(plan.to),
      ...(plan.managerId === undefined ? {} : { managerId: plan.managerId }),
      ...(plan.metric === "income" ? { currency: plan.currency ?? currency } : {}),
      target: plan.target,
      fact,
      progress: round3(progress),
      expectedByNow: round3(expected),
      pace,
    };
  });
}
