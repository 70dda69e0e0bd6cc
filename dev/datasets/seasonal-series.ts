import { seededRandom } from "./identity-dataset.js";

// Synthetic demand with known structure: a level, a linear trend, a repeating seasonal
// pattern and Gaussian noise, from a seed (so a forecast test or benchmark can be replayed).

export interface SeasonalSeriesOptions {
  seed: number;
  length: number;
  level: number;
  /** Added per step. */
  trend: number;
  /** One season of offsets (e.g. 7 weekday effects). */
  season: readonly number[];
  /** Standard deviation of the noise. */
  noise: number;
}

/** Standard normal numbers (Box-Muller) from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export function seasonalSeries(options: SeasonalSeriesOptions): number[] {
  const normal = gaussian(seededRandom(options.seed));
  return Array.from({ length: options.length }, (_, t) =>
    Math.max(
      0,
      options.level +
        options.trend * t +
        options.season[t % options.season.length]! +
        options.noise * normal(),
    ),
  );
}

/** A week of retail demand: quiet Monday, busy Friday and Saturday, calm Sunday. */
export const weeklyPattern = [-30, -15, -5, 5, 35, 40, -30] as const;
