import type { CallbackRequested } from "../events/consumed-topics.js";
import { chooseManager } from "./choose-manager.js";
import type { ProcessEngine } from "./process-engine.js";
import type { ProcessesDeps } from "./processes-deps.js";

// A client's callback request (MISSION T1; definitions/callback-request.bpmn) becomes a task
// for a manager of its queue, chosen by `chooseManager` from the telephony's busy/free view and
// the open tasks here. One request at a time, each until its task exists, so the next one
// counts it: two requests in a row go to two managers when both are free.

export const callbackRequestKey = "callback-request";

export interface CallbackOutcome {
  instanceId: string;
  managerId: string;
  created: boolean;
}

const chains = new WeakMap<ProcessesDeps, Promise<unknown>>();

export function assignCallback(
  deps: ProcessesDeps,
  engine: ProcessEngine,
  request: CallbackRequested,
  startedBy: string,
): Promise<CallbackOutcome> {
  const next = (chains.get(deps) ?? Promise.resolve()).then(() =>
    startCallback(deps, engine, request, startedBy),
  );
  chains.set(
    deps,
    next.catch(() => undefined),
  );
  return next;
}

async function startCallback(
  deps: ProcessesDeps,
  engine: ProcessEngine,
  request: CallbackRequested,
  startedBy: string,
): Promise<CallbackOutcome> {
  const businessKey = `callback:${request.requestId}`;
  const known = await deps.instances.byBusinessKey(businessKey);
  if (known)
    return { instanceId: known.id, managerId: String(known.variables.managerId), created: false };
  const managers = [...new Set(request.agents.map((agent) => agent.managerId))];
  const counts = await Promise.all(managers.map((id) => deps.tasks.countsOf(id)));
  const open = new Map(managers.map((id, i) => [id, counts[i]!.open]));
  const managerId = chooseManager(request.agents, open)!;
  const customer = await deps.customers.findByPhone(request.phone);
  const { instance, created } = await engine.start({
    definitionKey: callbackRequestKey,
    businessKey,
    startedBy,
    variables: {
      requestId: request.requestId,
      phone: request.phone,
      queue: request.queue,
      ...(request.ivrChoice ? { ivrChoice: request.ivrChoice } : {}),
      managerId,
      requestedAt: request.requestedAt,
      ...(customer ? { customerId: customer.id } : {}),
    },
  });
  await engine.prepared(instance.id);
  return { instanceId: instance.id, managerId: String(instance.variables.managerId), created };
}
