import type { AnalyticsState } from "./analytics-state.js";

// A report is a pure function of the state and its query: asked again before the state
// changed (a dashboard polling, the page and a CSV export of the same period), it is served
// from here. Any applied fact moves the state's revision and empties the cache; a rebuild
// makes a new state, with a cache of its own.

const maxEntries = 64;
const caches = new WeakMap<AnalyticsState, { revision: number; entries: Map<string, unknown> }>();

export function cachedReport<T>(state: AnalyticsState, key: string, compute: () => T): T {
  let cache = caches.get(state);
  if (!cache || cache.revision !== state.revision) {
    cache = { revision: state.revision, entries: new Map() };
    caches.set(state, cache);
  }
  if (cache.entries.has(key)) return cache.entries.get(key) as T;
  const value = compute();
  if (cache.entries.size >= maxEntries) cache.entries.delete(cache.entries.keys().next().value!);
  cache.entries.set(key, value);
  return value;
}
