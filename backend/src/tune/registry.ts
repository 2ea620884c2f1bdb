import { affinityTuner } from "./affinity.ts";
import { matchScoresTuner } from "./match-scores.ts";
import { trendingTuner } from "./trending.ts";
import type { Tuner } from "./types.ts";

/** The jobs `tune` can fit. */
export const tuners: readonly Tuner[] = [matchScoresTuner, trendingTuner, affinityTuner];

export function findTuner(job: string): Tuner | undefined {
  return tuners.find((t) => t.job === job);
}
