// "Would applying `desired` change `actual`?" without asking the API server: true when every
// field the operator sets already has that value. The API server adds defaults and other
// managers' fields; those do not count. Lists compare element by element (same length), as
// the operator always renders a whole list. A false "different" only costs a no-op apply.

export function isSubset(desired: unknown, actual: unknown): boolean {
  if (desired === actual) return true;
  if (desired === null || actual === null || desired === undefined || actual === undefined) {
    return desired === actual;
  }
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      desired.length === actual.length &&
      desired.every((item, index) => isSubset(item, actual[index]))
    );
  }
  if (typeof desired === "object") {
    if (typeof actual !== "object" || Array.isArray(actual)) return false;
    const actualRecord = actual as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) =>
      value === undefined ? true : isSubset(value, actualRecord[key]),
    );
  }
  // Numbers the API server may print as strings (quantities like 1 vs "1").
  return String(desired) === String(actual);
}
