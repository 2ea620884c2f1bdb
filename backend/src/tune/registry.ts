import { affinityTuner } from "./affinity.ts";
import type { Tuner } from "./types.ts";

/** The jobs `tune` can fit. */
export const tuners: readonly Tuner[] = [affinityTuner];

export function findTuner(job: string): Tuner | undefined {
  return tuners.find((t) => t.job === job);
}
