import { z } from "zod";

// The CloudEvent envelope on both buses (structured JSON mode), as Dapr delivers it to a
// subscriber's route and as the gateway and the modules publish it. `data` is checked by the
// topic's own schema; the envelope only needs a stable `id` to recognise redeliveries.

export const cloudEventSchema = z
  .object({
    id: z.string().min(1).max(512),
    specversion: z.string().optional(),
    source: z.string().optional(),
    type: z.string().optional(),
    topic: z.string().optional(),
    pubsubname: z.string().optional(),
    datacontenttype: z.string().optional(),
    data: z.unknown().optional(),
    data_base64: z.string().optional(),
  })
  .loose();
export type CloudEvent = z.infer<typeof cloudEventSchema>;

/** An event as the gateway publishes it across: JSON data, extensions as extra attributes. */
export interface OutgoingCloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  datacontenttype: "application/json";
  data: unknown;
  [extension: string]: unknown;
}

/**
 * The event's payload as a JSON value. A text payload that is not JSON is kept as the
 * string, so schema validation (not a parse error) decides about it and it stays visible.
 */
export function eventPayload(event: CloudEvent): unknown {
  if (event.data_base64 !== undefined) {
    const text = Buffer.from(event.data_base64, "base64").toString("utf8");
    return parseOrKeep(text);
  }
  if (typeof event.data === "string" && /json/.test(event.datacontenttype ?? ""))
    return parseOrKeep(event.data);
  return event.data ?? null;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * What Dapr's sidecar posts for a bulk subscription (`bulkSubscribe` on a Subscription, daprd
 * 1.18): several events in one call, each with its own `entryId`. The answer names a status
 * per entry (`{statuses: [{entryId, status}]}`); an entry missing from it, or an answer daprd
 * cannot read, is retried.
 */
export const bulkEventType = "com.dapr.event.sent.bulk";
/** The most entries one bulk delivery carries (the bound of the CRDs' `maxMessages`). */
export const maxBulkEntries = 100;

export const bulkDeliverySchema = z.object({
  type: z.literal(bulkEventType),
  entries: z
    .array(
      z.object({
        entryId: z.string().min(1),
        event: z.unknown(),
        contentType: z.string().optional(),
      }),
    )
    .max(maxBulkEntries),
});
export type BulkDelivery = z.infer<typeof bulkDeliverySchema>;

export type DeliveryStatus = "SUCCESS" | "RETRY" | "DROP";

/** The answer to a bulk delivery. */
export interface BulkAnswer {
  statuses: Array<{ entryId: string; status: DeliveryStatus }>;
}

/** A bulk delivery in a parsed request body, or undefined for a single event. */
export function asBulkDelivery(body: unknown): BulkDelivery | undefined {
  if ((body as { type?: unknown } | null)?.type !== bulkEventType) return undefined;
  const parsed = bulkDeliverySchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}
