// A manager's KPIs as analytics reads them (`kpi.manager.updated`, docs/module-contract.md):
// tasks done, overdue (ever, done or not) and open, and the clients' ratings of their
// meetings. Computed from the module's own records, so a repeat gives the same figures.

export interface ManagerKpi {
  managerId: string;
  tasks: { done: number; overdue: number; open: number };
  ratings: { count: number; average: number | null };
}

export function managerKpi(
  managerId: string,
  tasks: { done: number; overdue: number; open: number },
  ratings: readonly number[],
): ManagerKpi {
  const count = ratings.length;
  const average =
    count === 0 ? null : Math.round((ratings.reduce((sum, r) => sum + r, 0) / count) * 100) / 100;
  return { managerId, tasks, ratings: { count, average } };
}
