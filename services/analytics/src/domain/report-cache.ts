import type { AnalyticsState, DataScope } from "./analytics-state.js";

// A report is a pure function of the state and its query: asked again before the data it
// reads changed (a dashboard polling, the page and a CSV export of the same period, a task
// arriving while the cash flow is on screen), it is served from here. Each entry remembers the
// revisions of the kinds of data it read; a rebuild makes a new state, with a cache of its own.

const maxEntries = 64;
const caches = new WeakMap<AnalyticsState, Map<string, { signature: string; value: unknown }>>();

export function cachedReport<T>(
  state: AnalyticsState,
  key: string,
  reads: readonly DataScope[],
  compute: () => T,
): T {
  let entries = caches.get(state);
  if (!entries) caches.set(state, (entries = new Map()));
  const signature = reads.map((scope) => state.revisions[scope]).join(",");
  const known = entries.get(key);
  if (known?.signature === signature) return known.value as T;
  const value = compute();
  entries.delete(key);
  if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
  entries.set(key, { signature, value });
  return value;
}
