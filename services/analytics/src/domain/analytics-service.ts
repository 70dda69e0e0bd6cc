import { AppError, type Outbox } from "@symbiont/service-kit";
import type { Logger } from "pino";
import type { EventLog, LogPage } from "../data/event-log.js";
import type { OfferStore } from "../data/offer-store.js";
import type { PlanStore } from "../data/plan-store.js";
import type { RejectedEvents } from "../data/rejected-events.js";
import { AnalyticsState } from "./analytics-state.js";
import { ingestEvents, type IncomingEvent, type IngestResult } from "./ingest-events.js";
import type { OfferRule } from "./offer-rule.js";
import { rebuildState, type RebuildResult } from "./rebuild-state.js";
import { peopleTouched, suggestOffers } from "./suggest-offers.js";

export interface AnalyticsDeps {
  log: EventLog;
  rejected: RejectedEvents;
  plans: PlanStore;
  offers: OfferStore;
  outbox: Outbox;
  logger: Logger;
  now: () => number;
  newId: () => string;
  /** Country code for national phone numbers (as CRM's CRM_DEFAULT_COUNTRY_CODE). */
  defaultCountryCode: string;
  /** The currency reports use when the caller names none. */
  currency: string;
}

/**
 * The analytics domain with its single writer: ingestion, rebuilds and rule changes run one
 * after another. Reports read `state()`; a rebuild folds a new state from the log and swaps
 * it in whole, so a report never sees half a rebuild.
 */
export interface AnalyticsService {
  readonly deps: AnalyticsDeps;
  state(): AnalyticsState;
  /** False until the state has been rebuilt from the log at start. */
  loaded(): boolean;
  /** The first rebuild, at start. */
  load(): Promise<RebuildResult>;
  ingest(events: readonly IncomingEvent[]): Promise<IngestResult[]>;
  rebuild(): Promise<RebuildResult>;
  rules(): readonly OfferRule[];
  replaceRules(rules: OfferRule[], by: string): Promise<number>;
  /** Runs `task` alone, after what is already queued. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

export function notLoaded(): AppError {
  return new AppError({
    status: 503,
    code: "Loading",
    message: "the reports are being rebuilt from the event log; try again shortly",
  });
}

/** Pages with fewer events are merged once they hold `mergeAt` events between them. */
const smallPage = 100;
const mergeAt = 1_000;

export function createAnalyticsService(deps: AnalyticsDeps): AnalyticsService {
  let state = new AnalyticsState();
  let seen = new Set<string>();
  let smallPages: LogPage[] = [];
  let isLoaded = false;
  let rules: OfferRule[] = [];
  let suggested = new Set<string>();
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
  const rebuild = async () => {
    const rebuilt = await rebuildState(deps.log, deps.defaultCountryCode, smallPage);
    ({ state, seen, smallPages } = rebuilt);
    deps.logger.info(rebuilt.result, "reports rebuilt from the event log");
    return rebuilt.result;
  };
  // Compaction: merging pages never changes what the log holds, so a failure only waits for
  // the next try.
  const compact = async () => {
    if (smallPages.reduce((sum, page) => sum + page.events.length, 0) < mergeAt) return;
    const merged = await deps.log.merge(smallPages);
    smallPages = merged.events.length < smallPage ? [merged] : [];
  };
  return {
    deps,
    state: () => state,
    loaded: () => isLoaded,
    exclusive,
    load: () =>
      exclusive(async () => {
        rules = (await deps.offers.rules()).rules;
        suggested = await deps.offers.suggestionIds();
        const result = await rebuild();
        isLoaded = true;
        return result;
      }),
    rebuild: () =>
      exclusive(async () => {
        if (!isLoaded) throw notLoaded();
        return rebuild();
      }),
    ingest: (events) =>
      exclusive(async () => {
        if (!isLoaded) throw notLoaded();
        const { results, applied, page } = await ingestEvents(
          deps,
          state,
          seen,
          events,
          deps.now(),
        );
        if (page && page.events.length < smallPage) {
          smallPages.push(page);
          await compact().catch((error: unknown) =>
            deps.logger.warn({ err: error }, "event log pages not merged this time"),
          );
        }
        if (applied.length > 0) {
          // The events are stored and applied: a failed suggestion must not send them back to
          // the broker. The person's offers are looked at again with their next event.
          const people = peopleTouched(state, applied);
          await suggestOffers({ ...deps, suggested }, state, rules, people, deps.now()).catch(
            (error: unknown) => deps.logger.warn({ err: error }, "offers not suggested this time"),
          );
        }
        return results;
      }),
    rules: () => rules,
    replaceRules: (next, by) =>
      exclusive(async () => {
        const version = await deps.offers.replaceRules(
          next,
          by,
          new Date(deps.now()).toISOString(),
        );
        rules = next;
        return version;
      }),
  };
}
