import type { EventLog, LoggedEvent } from "../data/event-log.js";
import { factReaders } from "../events/consumed-topics.js";
import type { ReadContext } from "../events/fact-reader.js";
import { AnalyticsState } from "./analytics-state.js";
import type { Fact } from "./fact.js";

export interface RebuildResult {
  events: number;
  facts: number;
  /** Stored events the current readers cannot read (kept in the log, left out of figures). */
  unreadable: number;
  durationMs: number;
}

/** The facts of one stored event, read as when it was received. */
export function factsOf(event: LoggedEvent, defaultCountryCode: string): Fact[] {
  const read = factReaders.get(event.topic);
  if (!read) throw new Error(`analytics does not read ${event.topic}`);
  const context: ReadContext = {
    eventId: event._id,
    receivedAt: event.receivedAt.getTime(),
    defaultCountryCode,
  };
  return read(event.data, context);
}

/** A new state folded from every event in the log. */
export async function rebuildState(
  log: EventLog,
  defaultCountryCode: string,
): Promise<{ state: AnalyticsState; result: RebuildResult }> {
  const started = performance.now();
  const state = new AnalyticsState();
  let unreadable = 0;
  const events = await log.replay((batch) => {
    for (const event of batch) {
      let facts: Fact[];
      try {
        facts = factsOf(event, defaultCountryCode);
      } catch {
        unreadable++;
        continue;
      }
      state.countEvent(event.topic);
      for (const fact of facts) state.apply(fact);
    }
  });
  return {
    state,
    result: {
      events,
      facts: state.facts,
      unreadable,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
