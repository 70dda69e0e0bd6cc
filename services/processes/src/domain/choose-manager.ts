// Who calls a client back: a manager the telephony reports free (not on a call) and, among
// them, the one with the fewest open tasks here; when every manager of the queue is on a call,
// the least loaded of them all. Ties go to the one the telephony listed first, so the same
// request and the same loads always give the same manager.

export interface Agent {
  managerId: string;
  status: "free" | "busy";
}

/** `openTasks`: each manager's open tasks (a manager not in it has none). */
export function chooseManager(
  agents: readonly Agent[],
  openTasks: ReadonlyMap<string, number>,
): string | undefined {
  const free = agents.filter((agent) => agent.status === "free");
  const candidates = free.length > 0 ? free : agents;
  let chosen: Agent | undefined;
  for (const agent of candidates)
    if (!chosen || load(agent, openTasks) < load(chosen, openTasks)) chosen = agent;
  return chosen?.managerId;
}

function load(agent: Agent, openTasks: ReadonlyMap<string, number>): number {
  return openTasks.get(agent.managerId) ?? 0;
}
