import type { EventLog, LoggedEvent, LogPage } from "../data/event-log.js";
import { factReaders } from "../events/consumed-topics.js";
import type { ReadContext } from "../events/fact-reader.js";
import { AnalyticsState } from "./analytics-state.js";
import type { Fact } from "./fact.js";

export interface RebuildResult {
  events: number;
  facts: number;
  /** Stored events the current readers cannot read (kept in the log, left out of figures). */
  unreadable: number;
  pages: number;
  durationMs: number;
}

/** The facts of one stored event, read as when it was received. */
export function factsOf(event: LoggedEvent, defaultCountryCode: string): Fact[] {
  const read = factReaders.get(event.topic);
  if (!read) throw new Error(`analytics does not read ${event.topic}`);
  const context: ReadContext = {
    eventId: event.id,
    receivedAt: event.receivedAt,
    defaultCountryCode,
  };
  return read(event.data, context);
}

/** What a rebuild hands to the writer: the state, the ids it holds, and the small pages. */
export interface Rebuilt {
  state: AnalyticsState;
  seen: Set<string>;
  /** Pages worth merging (fewer events than `smallPage`). */
  smallPages: LogPage[];
  result: RebuildResult;
}

/** A new state folded from every event in the log, each event id once. */
export async function rebuildState(
  log: EventLog,
  defaultCountryCode: string,
  smallPage: number,
): Promise<Rebuilt> {
  const started = performance.now();
  const state = new AnalyticsState();
  const seen = new Set<string>();
  const smallPages: LogPage[] = [];
  let unreadable = 0;
  const pages = await log.replay((page) => {
    if (page.events.length < smallPage) smallPages.push(page);
    for (const event of page.events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
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
    seen,
    smallPages,
    result: {
      events: seen.size,
      facts: state.facts,
      unreadable,
      pages,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
