import { type SharedTrendingParams, scoreWithVelocity, type TrendingCandidate } from "./score.ts";

/** A candidate as trending-v2 reads it: v1's counts and the decayed sum of its actions. */
export interface TrendingV2Candidate extends TrendingCandidate {
  /** Σ over the post's actions in the window of 0.5 ^ (action age in hours / velocityHalfLifeHours). */
  readonly decayedActions: number;
}

export interface TrendingV2Params extends SharedTrendingParams {
  /** Each action's weight in velocity halves every this many hours. */
  readonly velocityHalfLifeHours: number;
}

/**
 * trending-v2's velocity, engagements per hour: a decayed rate instead of v1's count in a hard
 * window. Every action weighs 0.5 ^ (its age / h) (`decayedActions`, summed in SQL); the sum is
 * divided by the weighted time the post has been live, ∫₀^span 0.5^(s/h) ds =
 * (h / ln 2)·(1 − 0.5^(span / h)), span = max(ageHours, floorHours). For a post gaining actions
 * at a steady rate r this is r at any age (the same weighting on both sides), and with h → ∞
 * it is the lifetime rate. Why it holds on any population: a hard one-hour window is empty
 * whenever the gaps between a post's actions exceed an hour, which in a small community is most
 * of the time (on real data: at most snapshots), so velocities collapse to 0 and the trending
 * line to noise. Here every action of the post counts, recent ones more, so a candidate (which
 * has at least one action) never has velocity 0, and posts still rank by recent pace whatever
 * the community's pace is: the scale of the gaps changes the level, not the order.
 */
export function decayedVelocity(
  decayedActions: number,
  ageHours: number,
  halfLifeHours: number,
  floorHours: number,
): number {
  const span = Math.max(ageHours, floorHours);
  const weightedHours = (halfLifeHours / Math.LN2) * (1 - 0.5 ** (span / halfLifeHours));
  return decayedActions / weightedHours;
}

/** trending-v2's scores: v1's formulas, with the decayed velocity (and its own half-life in `params`). */
export function scoreCandidatesV2(
  candidates: readonly TrendingV2Candidate[],
  params: TrendingV2Params,
  now: Date,
) {
  return scoreWithVelocity(candidates, params, now, (candidate, ageHours) =>
    decayedVelocity(
      candidate.decayedActions,
      ageHours,
      params.velocityHalfLifeHours,
      params.velocityFloorHours,
    ),
  );
}
