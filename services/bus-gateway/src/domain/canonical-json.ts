/**
 * JSON with object keys sorted at every level and no whitespace. Signatures over a
 * CloudEvent's `data` use it, because the bus re-serialises events (Dapr sorts keys).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const keys = Object.keys(value).sort();
  const members = keys
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
  return `{${members.join(",")}}`;
}
