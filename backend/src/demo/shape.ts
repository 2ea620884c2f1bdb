import { CITIES } from "./vocabulary.ts";

/**
 * Where the population lives. `spread`: users in every city by CITIES' weights (the default).
 * `metro`: most users within one city's radius, as in the real OkCupid profiles (nearly all
 * in the San Francisco area), so that every match pool holds thousands of candidates.
 */
export const POPULATION_SHAPES = ["spread", "metro"] as const;
export type PopulationShape = (typeof POPULATION_SHAPES)[number];

/** Share of a `metro` population living around CITIES[0]; the rest is spread as usual. */
export const METRO_SHARE = 0.85;

/**
 * The unnormalised weight of each city (by CITIES index) for the shape. Both shapes draw a
 * user's city with one weighted draw, so every other draw of the generator stays in step and
 * `spread` is exactly the generator's original population.
 */
export function cityWeights(shape: PopulationShape): number[] {
  const spread = CITIES.map((c) => c.weight);
  if (shape === "spread") return spread;
  const total = spread.reduce((s, w) => s + w, 0);
  return spread.map((w, i) => (1 - METRO_SHARE) * (w / total) + (i === 0 ? METRO_SHARE : 0));
}
