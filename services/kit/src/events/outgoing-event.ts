/** What a module publishes: the envelope fields it chooses, Dapr adds the rest. */
export interface OutgoingEvent<Data = unknown> {
  /** Stable for the same fact, so a re-publish is recognised downstream. */
  id: string;
  topic: string;
  data: Data;
}
