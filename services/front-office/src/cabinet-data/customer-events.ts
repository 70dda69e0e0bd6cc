import { ssoAccount } from "@symbiont/contracts";
import { z } from "zod";
import { cabinetSignIn } from "../touchpoints/touchpoint-events.js";

export const customerTopics = ["customer.created", "customer.updated", "customer.merged"] as const;

const profile = z.object({
  id: z.string().min(1).max(128),
  status: z.enum(["active", "merged"]),
  mergedInto: z.string().max(128).optional(),
  version: z.number().int().min(1),
  /** The person's accounts at the ecosystem's sign-in (docs/module-contract.md). */
  accounts: z.array(z.string().max(300)).max(50).default([]),
});

/**
 * CRM's `customer.*` as the customer routes export them (keys and cookies removed, names
 * masked): what the cabinet needs to tell whose orders, documents and offers it holds. A
 * tolerant reader.
 */
export const customerEventSchema = z.object({
  profile,
  survivorId: z.string().max(128).optional(),
  absorbedIds: z.array(z.string().max(128)).max(100).optional(),
});
export type CustomerEvent = z.output<typeof customerEventSchema>;

/**
 * The accounts an SSO subject may have in CRM: from its sign-ins (`sso.login`), and from the
 * touchpoints the cabinet sends, which name the sign-in they came through.
 */
export function accountsOf(subject: string): string[] {
  return [ssoAccount(subject), ssoAccount(subject, cabinetSignIn)];
}
