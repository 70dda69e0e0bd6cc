import { z } from "zod";
import { entityIdSchema } from "../domain/task.js";

// What the module reads from the internal bus. Readers are tolerant (fields they do not use
// pass) and refuse what they need and cannot read: the delivery goes to the topic's dead
// letter with the field named.

export { meetingBookedTopic } from "@symbiont/contracts";
export const customerTopics = ["customer.created", "customer.updated", "customer.merged"] as const;
export const fileUploadedTopic = "file.uploaded";

const time = z.iso.datetime({ offset: true });

/** `meeting.booked` (front office, imported by the route `meetings-in`): one contract. */
export { meetingBookedSchema, type MeetingBooked } from "@symbiont/contracts";

const consentSchema = z.looseObject({ granted: z.boolean() }).optional();

/** CRM's profile as the module keeps it: how to reach the person, and whether it may. */
export const profileSchema = z.looseObject({
  id: entityIdSchema,
  version: z.number().int().min(1),
  status: z.enum(["active", "merged"]),
  mergedInto: entityIdSchema.optional(),
  names: z.array(z.string().max(300)).default([]),
  keys: z.array(z.string().max(300)).max(200),
  consent: z.looseObject({ sms: consentSchema, messenger: consentSchema }).default({}),
  /** The channel the person prefers (CRM's `preferredChannel`); consent is still per channel. */
  preferredChannel: z.looseObject({ channel: z.string().max(32) }).optional(),
});
export type ProfileData = z.infer<typeof profileSchema>;

/** `customer.created`, `customer.updated` and `customer.merged` (with the ids merged away). */
export const customerChangedSchema = z.looseObject({
  profile: profileSchema,
  absorbedIds: z.array(entityIdSchema).max(100).optional(),
});

/** files' `file.uploaded`: the part the module reads to recognise its own documents. */
export const fileUploadedSchema = z.looseObject({
  fileId: z.string().min(1),
  sandbox: z.looseObject({ id: z.string().min(1) }),
  path: z.string().min(1),
  version: z.number().int().min(1),
  sha256: z.string(),
  links: z.array(z.looseObject({ kind: z.string(), id: z.string() })),
  origin: z.looseObject({ topic: z.string(), eventId: z.string() }).optional(),
});
export type FileUploaded = z.infer<typeof fileUploadedSchema>;

export const smsReplyTopic = "sms.reply.received";

/** A client's SMS reply, from the SMS partner (route `sms-replies-in`). */
export const smsReplySchema = z.looseObject({
  /** The messageId of the SMS it answers. */
  replyTo: z.string().min(1).max(200),
  from: z.string().regex(/^\+\d{7,15}$/, "expected an E.164 number (+<digits>)"),
  text: z.string().max(1000),
  receivedAt: time,
});
export type SmsReply = z.infer<typeof smsReplySchema>;

export const callbackRequestedTopic = "telephony.callback.requested";

export const callbackAgentStatuses = ["free", "busy"] as const;

/**
 * A client asked to be called back (the telephony partner, route `callbacks-in`): the number,
 * the queue the IVR put them in (and the key they pressed), and the queue's managers as the
 * telephony sees them now (on a call: busy).
 */
export const callbackRequestedSchema = z.looseObject({
  requestId: entityIdSchema,
  phone: z.string().regex(/^\+\d{7,15}$/, "expected an E.164 number (+<digits>)"),
  queue: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes"),
  ivrChoice: z.string().max(16).optional(),
  requestedAt: time,
  agents: z
    .array(z.looseObject({ managerId: entityIdSchema, status: z.enum(callbackAgentStatuses) }))
    .min(1)
    .max(200),
});
export type CallbackRequested = z.infer<typeof callbackRequestedSchema>;
