// Go-style durations as the CRDs accept them ("500ms", "1m30s", "24h").

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationMs(text: string): number {
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`"${text}" is not a duration like 500ms, 30s, 5m or 24h`);
  }
  return Math.round(
    parts.reduce((total, [, value, unit]) => total + Number(value) * unitMs[unit!]!, 0),
  );
}
