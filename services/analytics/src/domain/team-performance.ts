import type { AnalyticsState } from "./analytics-state.js";
import { inWindow, windowLabel, type ReportWindow } from "./report-window.js";

export interface PersonRow {
  managerId: string;
  /** Tasks assigned and not completed (at the time of the report). */
  open: number;
  /** Of those, past their due time or reported overdue. */
  overdue: number;
  /** Tasks completed in the window, and how many of them by their due time. */
  completed: number;
  completedOnTime: number;
  /** The newest value of each KPI the processes module reported for this person. */
  kpis: Record<string, number>;
}

export interface TeamPerformanceReport {
  report: "team-performance";
  from: string;
  to: string;
  rows: PersonRow[];
}

/** Tasks and KPI per person, from the processes module's `task.*` and `kpi.manager.updated`. */
export function teamPerformance(
  state: AnalyticsState,
  window: ReportWindow,
  nowMs: number,
): TeamPerformanceReport {
  const rows = new Map<string, PersonRow>();
  const row = (managerId: string) => {
    let found = rows.get(managerId);
    if (!found) {
      found = { managerId, open: 0, overdue: 0, completed: 0, completedOnTime: 0, kpis: {} };
      rows.set(managerId, found);
    }
    return found;
  };
  for (const task of state.tasks.values()) {
    const person = row(task.assignee);
    if (task.completedAt === undefined) {
      person.open++;
      if (task.overdueAt !== undefined || (task.dueAt !== undefined && task.dueAt < nowMs))
        person.overdue++;
    } else if (inWindow(window, task.completedAt)) {
      person.completed++;
      if (task.dueAt === undefined || task.completedAt <= task.dueAt) person.completedOnTime++;
    }
  }
  for (const [managerId, values] of state.kpis) {
    const person = row(managerId);
    for (const [name, { value }] of [...values].sort(([a], [b]) => a.localeCompare(b)))
      person.kpis[name] = value;
  }
  return {
    report: "team-performance",
    ...windowLabel(window),
    rows: [...rows.values()].sort((a, b) => a.managerId.localeCompare(b.managerId)),
  };
}
