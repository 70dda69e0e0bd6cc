import { toAppError } from "@symbiont/service-kit";
import type { EventLog, LoggedEvent, LogPage } from "../data/event-log.js";
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
 * the reason (and recorded as a dead letter); an id already in the log is a duplicate; the new
 * ones are stored as one page, then applied. Returns the facts applied and the page written.
 */
export async function ingestEvents(
  deps: IngestDeps,
  state: AnalyticsState,
  seen: Set<string>,
  events: readonly IncomingEvent[],
  receivedAt: number,
): Promise<{ results: IngestResult[]; applied: Fact[]; page?: LogPage }> {
  const results: IngestResult[] = new Array(events.length);
  const fresh: Array<{ logged: LoggedEvent; facts: Fact[] }> = [];
  const inBatch = new Set<string>();
  const refused: RejectedEvent[] = [];
  events.forEach((event, position) => {
    const refuse = (reason: string, field?: string) => {
      results[position] = { id: event.id, outcome: "refused", reason, ...(field ? { field } : {}) };
      refused.push({
        _id: event.id,
        topic: event.topic,
        reason,
        ...(field ? { field } : {}),
        data: payloadExcerpt(event.data),
        rejectedAt: new Date(receivedAt),
      });
    };
    if (!factReaders.has(event.topic)) return refuse(`analytics does not read ${event.topic}`);
    if (seen.has(event.id) || inBatch.has(event.id)) {
      results[position] = { id: event.id, outcome: "duplicate" };
      return;
    }
    const logged: LoggedEvent = { id: event.id, topic: event.topic, data: event.data, receivedAt };
    try {
      fresh.push({ logged, facts: factsOf(logged, deps.defaultCountryCode) });
      inBatch.add(event.id);
      results[position] = { id: event.id, outcome: "applied" };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      refuse(appError.message, appError.field);
    }
  });
  await deps.rejected.record(refused);
  if (fresh.length === 0) return { results, applied: [] };
  const logged = fresh.map((f) => f.logged);
  const pageId = await deps.log.append(logged);
  const applied: Fact[] = [];
  for (const { logged: event, facts } of fresh) {
    seen.add(event.id);
    state.countEvent(event.topic);
    for (const fact of facts) state.apply(fact);
    applied.push(...facts);
  }
  return { results, applied, page: { id: pageId, events: logged } };
}
