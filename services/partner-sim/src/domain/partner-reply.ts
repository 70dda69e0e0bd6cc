import { createHash } from "node:crypto";
import type { PartnerKind } from "../config.js";

/** What each kind of partner answers to an accepted request: a plausible, deterministic body. */
export function partnerReply(kind: PartnerKind, idempotencyKey: string): Record<string, unknown> {
  const ref = createHash("sha256").update(`${kind}:${idempotencyKey}`).digest("hex").slice(0, 16);
  switch (kind) {
    case "sms":
    case "messenger":
      return { messageRef: ref, status: "queued" };
    case "telephony":
      return { callRef: ref, status: "accepted" };
    case "acquirer":
      return { paymentId: ref, status: "authorized" };
    case "ads":
      return { segmentUpdate: ref, status: "accepted" };
    case "sso":
      return { subject: ref, status: "linked" };
    case "industry":
      return { checkId: ref, result: "clear" };
    case "generic":
      return { id: ref, status: "ok" };
  }
}
