// ISO 8601 durations as the definitions and settings write them (PT2H, P1D, PT30M, P1DT12H).
// Days are 24 hours: the module's dates are UTC.

const pattern = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO 8601 duration (days, hours, minutes, seconds); undefined if malformed. */
export function durationMs(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return (
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000)
  );
}

/** `at` moved by a duration (negative `sign` to go back). */
export function shift(at: Date, duration: string, sign: 1 | -1 = 1): Date {
  const ms = durationMs(duration);
  if (ms === undefined) throw new RangeError(`${duration}: not an ISO 8601 duration`);
  return new Date(at.getTime() + sign * ms);
}
