import { daysBetween, halfLifeDecay } from "./curves.ts";
import type { CompatibilityParams, PairActivity } from "./types.ts";

export interface HidePenalty {
  /** What the score is multiplied by: 1 without hides. */
  readonly multiplier: number;
  readonly hides: number;
  readonly daysSinceLastHide: number | null;
}

/**
 * Seed "Negative Signals": a hide is a strong negative weight with a long decay. The latest
 * hide between the two (either way) takes `hidePenalty` of the score when fresh, half of that
 * after `hideHalfLifeDays`; more hides do not stack beyond the latest.
 */
export function hidePenalty(
  activity: PairActivity,
  now: Date,
  params: CompatibilityParams,
): HidePenalty {
  const { count, lastAt } = activity.hides;
  if (count === 0 || lastAt === null) return { multiplier: 1, hides: 0, daysSinceLastHide: null };
  const age = daysBetween(lastAt, now);
  const weight = halfLifeDecay(age, params.hideHalfLifeDays);
  return { multiplier: 1 - params.hidePenalty * weight, hides: count, daysSinceLastHide: age };
}
