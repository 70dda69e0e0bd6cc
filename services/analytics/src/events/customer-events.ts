import { customerCreatedTopic, customerMergedTopic, customerUpdatedTopic } from "@symbiont/crm";
import { z } from "zod";
import type { Fact, ProfileFact } from "../domain/fact.js";
import { entityId, reader, time, timeOf, type ReadContext } from "./fact-reader.js";

// CRM's `customer.created`, `customer.updated` and `customer.merged` (docs/module-contract.md):
// the unified profile at a version. Analytics keeps ids, keys, interests and consent.

export { customerCreatedTopic, customerMergedTopic, customerUpdatedTopic };

const consentState = z.object({ granted: z.boolean() }).optional();

const profileSchema = z.object({
  id: entityId,
  version: z.number().int().min(1),
  status: z.enum(["active", "merged"]),
  mergedInto: entityId.optional(),
  keys: z.array(z.string().max(300)).max(200),
  interests: z.array(entityId).max(500).default([]),
  consent: z.object({ email: consentState, sms: consentState }).default({}),
  updatedAt: time.optional(),
});

function toProfileFact(profile: z.output<typeof profileSchema>, context: ReadContext): ProfileFact {
  return {
    kind: "profile",
    profileId: profile.id,
    version: profile.version,
    status: profile.status,
    ...(profile.mergedInto === undefined ? {} : { mergedInto: profile.mergedInto }),
    keys: profile.keys,
    interests: profile.interests,
    consent: {
      email: profile.consent.email?.granted ?? false,
      sms: profile.consent.sms?.granted ?? false,
    },
    at: timeOf(context, profile.updatedAt),
  };
}

export const readCustomerChanged = reader(
  z.object({ profile: profileSchema }),
  ({ profile }, context) => [toProfileFact(profile, context)],
);

export const readCustomerMerged = reader(
  z.object({
    survivorId: entityId,
    absorbedIds: z.array(entityId).min(1).max(100),
    profile: profileSchema,
  }),
  ({ survivorId, absorbedIds, profile }, context): Fact[] => {
    const survivor = toProfileFact(profile, context);
    return [{ kind: "merge", survivorId, absorbedIds, at: survivor.at }, survivor];
  },
);
