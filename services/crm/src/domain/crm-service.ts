import type { CrmDeps } from "./crm-deps.js";
import { resolveBatch, type Resolution } from "./resolve-batch.js";
import { SerialQueue } from "./serial-queue.js";
import type { Touchpoint } from "./touchpoint.js";

/** The CRM domain with its single writer: every change to identities goes through `queue`. */
export interface CrmService {
  deps: CrmDeps;
  queue: SerialQueue<Touchpoint, Resolution>;
}

export function createCrmService(deps: CrmDeps, maxBatch: number): CrmService {
  return { deps, queue: new SerialQueue((batch) => resolveBatch(deps, batch), maxBatch) };
}
