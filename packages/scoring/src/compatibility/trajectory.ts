import { saturate } from "./curves.ts";
import type { CompatibilityParams, PairActivity } from "./types.ts";

export interface TrajectoryFactor {
  readonly value: number;
  readonly recent: number;
  readonly earlier: number;
  /** Recent rate / (recent rate + earlier rate): 1 all recent, 0.5 steady, 0 faded; null without interaction. */
  readonly growth: number | null;
}

/**
 * Is the relationship growing or fading? Compares interactions per day in the recent window
 * with the earlier rest of the lookback, scaled by how much interaction there is to judge
 * from. No interaction in either window: 0.
 */
export function trajectory(activity: PairActivity, params: CompatibilityParams): TrajectoryFactor {
  const recent = activity.recentInteractions;
  const earlier = activity.earlierInteractions;
  const recentRate = recent / params.recentDays;
  const earlierRate = earlier / (params.lookbackDays - params.recentDays);
  if (recentRate + earlierRate === 0) return { value: 0, recent, earlier, growth: null };
  const growth = recentRate / (recentRate + earlierRate);
  const evidence = saturate(recent + earlier, params.saturation.interactions);
  return { value: growth * evidence, recent, earlier, growth };
}
