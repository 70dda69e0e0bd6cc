import { toAppError } from "@symbiont/service-kit";
import type { EventLog, LoggedEvent } from "../data/event-log.js";
import {
  payloadExcerpt,
  type RejectedEvent,
  type RejectedEvents,
} from "../data/rejected-events.js";
import { factReaders } from "../events/consumed-topics.js";
import type { AnalyticsState } from "./analytics-state.js";
import type { Fact } from "./fact.js";
import { factsOf } from "./rebuild-state.js";

export interface IncomingEvent {
  /** The CloudEvent id: the same event delivered again is recognised by it. */
  id: string;
  topic: string;
  data: unknown;
}

export type IngestResult =
  | { id: string; outcome: "applied" | "duplicate" }
  | { id: string; outcome: "refused"; reason: string; field?: string };

export interface IngestDeps {
  log: EventLog;
  rejected: RejectedEvents;
  defaultCountryCode: string;
}

/**
 * Reads, stores and applies a batch of events. An event that cannot be read is refused with
 * the reason (and recorded as a dead letter); a readable one is stored in the log once per
 * id and, the first time only, applied to the state. Returns the facts applied.
 */
export async function ingestEvents(
  deps: IngestDeps,
  state: AnalyticsState,
  events: readonly IncomingEvent[],
  receivedAt: Date,
): Promise<{ results: IngestResult[]; applied: Fact[] }> {
  const results: IngestResult[] = new Array(events.length);
  const accepted: Array<{ position: number; logged: LoggedEvent; facts: Fact[] }> = [];
  const refused: RejectedEvent[] = [];
  events.forEach((event, position) => {
    const logged: LoggedEvent = { _id: event.id, topic: event.topic, data: event.data, receivedAt };
    const refuse = (reason: string, field?: string) => {
      results[position] = { id: event.id, outcome: "refused", reason, ...(field ? { field } : {}) };
      refused.push({
        _id: event.id,
        topic: event.topic,
        reason,
        ...(field ? { field } : {}),
        data: payloadExcerpt(event.data),
        rejectedAt: receivedAt,
      });
    };
    if (!factReaders.has(event.topic)) {
      refuse(`analytics does not read ${event.topic}`);
      return;
    }
    try {
      accepted.push({ position, logged, facts: factsOf(logged, deps.defaultCountryCode) });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      refuse(appError.message, appError.field);
    }
  });
  await deps.rejected.record(refused);
  const fresh = await deps.log.append(accepted.map((a) => a.logged));
  const applied: Fact[] = [];
  accepted.forEach(({ position, logged, facts }, i) => {
    results[position] = { id: logged._id, outcome: fresh[i] ? "applied" : "duplicate" };
    if (!fresh[i]) return;
    state.countEvent(logged.topic);
    for (const fact of facts) state.apply(fact);
    applied.push(...facts);
  });
  return { results, applied };
}
