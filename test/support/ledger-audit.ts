import type { AdminClient } from "../../dev/stack/gateway-stack.js";
import type { LedgerAudit } from "../../services/bus-gateway/src/domain/ledger-audit.js";
import { eventually } from "./kube.js";

/**
 * The gateway's ledger audit once nothing is pending (or once it finds a problem). A partner
 * holds a message a moment before the gateway's record of its delivery is durable, so an audit
 * read as the last message arrives may still count it as pending.
 */
export async function auditOnceSettled(admin: AdminClient): Promise<LedgerAudit> {
  return eventually(
    () => admin.get<LedgerAudit>("/v1/ledger/audit"),
    (audit) => audit.pending === 0 || audit.problems.length > 0,
    { what: "every delivery recorded in the ledger", timeoutMs: 60_000 },
  );
}
