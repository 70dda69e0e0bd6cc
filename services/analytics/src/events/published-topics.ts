import type { OutgoingEvent } from "@symbiont/service-kit";
import { z } from "zod";

// The topics analytics publishes on the internal bus (docs/module-contract.md, "analytics").
// Their schemas are exported so the front office and the BusRoutes' tests read the same shape.

export const offerSuggestedTopic = "offer.suggested";
export const audienceSegmentExportedTopic = "audience.segment.exported";

export const offerSuggestedSchema = z.strictObject({
  suggestionId: z.string(),
  /** The person's unified id (CRM). */
  customerId: z.string(),
  rule: z.string(),
  offer: z.strictObject({ category: z.string(), title: z.string() }),
  reason: z.string(),
  suggestedAt: z.iso.datetime(),
});
export type OfferSuggested = z.output<typeof offerSuggestedSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const audienceSegmentExportedSchema = z.strictObject({
  exportId: z.string(),
  segment: z.string(),
  /** Members are sent in parts of at most 1,000. */
  part: z.number().int().min(1),
  parts: z.number().int().min(1),
  size: z.number().int().min(0),
  exportedAt: z.iso.datetime(),
  members: z.array(
    z.strictObject({
      /** Internal only: the export route removes it before the ads partner. */
      customerId: z.string(),
      /** SHA-256 of the normalised e-mail, when the person allowed e-mail contact. */
      emailSha256: sha256Hex.optional(),
      /** SHA-256 of the phone number in E.164 (+79123456789), when SMS contact is allowed. */
      phoneSha256: sha256Hex.optional(),
    }),
  ),
});
export type AudienceSegmentExported = z.output<typeof audienceSegmentExportedSchema>;

export function offerSuggested(data: OfferSuggested): OutgoingEvent<OfferSuggested> {
  return { id: `${offerSuggestedTopic}:${data.suggestionId}`, topic: offerSuggestedTopic, data };
}

export function audienceSegmentExported(
  data: AudienceSegmentExported,
): OutgoingEvent<AudienceSegmentExported> {
  return {
    id: `${audienceSegmentExportedTopic}:${data.exportId}:${data.part}`,
    topic: audienceSegmentExportedTopic,
    data,
  };
}
