import { AnalyticsState } from "./analytics-state.js";
import { factsOf } from "./rebuild-state.js";

/**
 * A state folded from events as if each had been received at `receivedAt`, without the log:
 * what tests and benchmarks measure the reports on. Throws on an event no reader accepts.
 */
export function foldEvents(
  events: Iterable<{ id: string; topic: string; data: unknown }>,
  receivedAt: number,
  defaultCountryCode = "7",
): AnalyticsState {
  const state = new AnalyticsState();
  for (const event of events) {
    state.countEvent(event.topic);
    for (const fact of factsOf({ ...event, receivedAt }, defaultCountryCode)) state.apply(fact);
  }
  return state;
}
