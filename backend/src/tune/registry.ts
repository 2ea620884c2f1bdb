import { affinityTuner } from "./affinity.ts";
import { matchScoresTuner } from "./match-scores.ts";
import type { Tuner } from "./types.ts";

/** The jobs `tune` can fit. */
export const tuners: readonly Tuner[] = [matchScoresTuner, affinityTuner];

export function findTuner(job: string): Tuner | undefined {
  return tuners.find((t) => t.job === job);
}
