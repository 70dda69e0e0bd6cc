import { consentStatementSchema, contactChannels } from "@symbiont/contracts";
import { z } from "zod";

export const channels = [
  "site_form",
  "social",
  "cookie",
  "loyalty_card",
  "phone_call",
  "office_visit",
  "sso_login",
  "email",
  "messenger",
  "purchase",
  "manual",
] as const;

/** Channels of contact, each with its consent (`@symbiont/contracts`); `preferredChannel` names one. */
export const consentChannels = contactChannels;
export type ConsentChannel = (typeof consentChannels)[number];

const plainId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "expected letters, digits, '_', '.', ':' and '-'");

export const identitySchema = z.strictObject({
  email: z.string().trim().max(254).email().optional(),
  phone: z
    .string()
    .max(32)
    .regex(/^[+\d\s().-]+$/, "expected digits, spaces, '+', '(', ')', '.' and '-'")
    .optional(),
  loyaltyCard: z
    .string()
    .max(32)
    .regex(/^[A-Za-z0-9 -]+$/, "expected letters, digits, spaces and '-'")
    .optional(),
  sso: z
    .strictObject({ provider: z.string().regex(/^[a-z0-9-]{1,32}$/), subject: plainId })
    .optional(),
  cookieId: plainId.optional(),
});

export const personNameSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^[\p{L}\p{M} .'-]*$/u, "expected letters, spaces, '.', ''' and '-'");

/** A touchpoint as a channel or a manager submits it (HTTP body or `touchpoint.recorded` data). */
export const touchpointInputSchema = z.strictObject({
  /** The sender's id for this touchpoint: sending it again changes nothing. */
  id: plainId.optional(),
  channel: z.enum(channels),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  enteredBy: z
    .strictObject({ kind: z.enum(["auto", "manager"]), id: plainId.optional() })
    .default({ kind: "auto" }),
  identity: identitySchema,
  name: personNameSchema.optional(),
  relationship: z.enum(["prospect", "customer"]).optional(),
  /** Contact channels and the site's cookies (`@symbiont/contracts`): the latest statement wins. */
  consent: consentStatementSchema.optional(),
  /** The channel the person prefers to be contacted on (the latest statement wins). */
  preferredChannel: z.enum(consentChannels).optional(),
  interests: z.array(z.uuid()).max(50).optional(),
  note: z.string().max(2_000).optional(),
});

export type TouchpointInput = z.output<typeof touchpointInputSchema>;

/** A touchpoint with its id, its time and its normalised keys, ready to resolve. */
export interface Touchpoint extends Omit<TouchpointInput, "id" | "occurredAt"> {
  id: string;
  occurredAt: string;
  keys: string[];
  hint?: string;
}
