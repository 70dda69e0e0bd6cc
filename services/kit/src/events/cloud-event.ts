import { z } from "zod";

/**
 * The CloudEvent envelope Dapr delivers to a subscriber. `data` is checked by the
 * topic's own schema; the envelope only needs a stable `id` to recognise redeliveries.
 */
export const cloudEventSchema = z.object({
  id: z.string().min(1).max(256),
  source: z.string().optional(),
  type: z.string().optional(),
  specversion: z.string().optional(),
  topic: z.string().optional(),
  pubsubname: z.string().optional(),
  datacontenttype: z.string().optional(),
  data: z.unknown(),
});

export type CloudEvent = z.infer<typeof cloudEventSchema>;

/** What a module publishes: the envelope fields it chooses, Dapr adds the rest. */
export interface OutgoingEvent<Data = unknown> {
  /** Stable for the same fact, so a re-publish is recognised downstream. */
  id: string;
  topic: string;
  data: Data;
}
