import {
  actionCount,
  ageDecayFactor,
  decayMultiplier,
  type EngagementCounts,
  hoursBetween,
  type PeakState,
  peakTime,
  popularity,
  type TrendingWeights,
  trendingThreshold,
  velocityPerHour,
} from "./formulas.ts";

/** A post that passed the gate, with its engagement aggregated over the window. */
export interface TrendingCandidate extends EngagementCounts {
  readonly postId: string;
  readonly createdAt: Date;
  /** Actions (likes, comments, shares, attributed profile views) in the velocity window. */
  readonly recentActions: number;
  /** The previous run's score of this post, or null when it had none. */
  readonly previous: PeakState | null;
}

export interface TrendingParams {
  readonly weights: TrendingWeights;
  readonly halfLifeHours: number;
  readonly velocityWindowHours: number;
  readonly velocityFloorHours: number;
  readonly trendingMultiplier: number;
  /** Shortest fade half-life, as a share of `halfLifeHours` (a post without momentum); default 0.5. */
  readonly fadeShortestShare?: number;
}

/** One row of trending_scores, without the run's clock and version. */
export interface TrendingScore {
  readonly postId: string;
  readonly popularity: number;
  /** Engagements per hour over the velocity window. */
  readonly velocity: number;
  readonly isTrending: boolean;
  readonly peakTime: Date | null;
  readonly decayMultiplier: number;
  /** Actions over the post's life: likes + comments + shares + attributed profile views. */
  readonly engagementCount: number;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The constants every version's scoring shares (v1's velocity window aside). */
export type SharedTrendingParams = Omit<TrendingParams, "velocityWindowHours">;

/** How a version measures a candidate's velocity (engagements per hour) at `ageHours`. */
export type VelocityMeasure<C> = (candidate: C, ageHours: number) => number;

/** Scores every candidate; the trending line depends on all of them, so they come together. */
export function scoreCandidates(
  candidates: readonly TrendingCandidate[],
  params: TrendingParams,
  now: Date,
): TrendingScore[] {
  return scoreWithVelocity(candidates, params, now, (candidate, ageHours) =>
    velocityPerHour(
      candidate.recentActions,
      ageHours,
      params.velocityWindowHours,
      params.velocityFloorHours,
    ),
  );
}

/**
 * Popularity, the trending line, peak time and fade of every candidate, with velocity measured
 * by the version's own `velocityOf` (v1: a hard window; v2: a decayed rate).
 */
export function scoreWithVelocity<C extends TrendingCandidate>(
  candidates: readonly C[],
  params: SharedTrendingParams,
  now: Date,
  velocityOf: VelocityMeasure<C>,
): TrendingScore[] {
  const measured = candidates.map((candidate) => {
    const ageHours = hoursBetween(candidate.createdAt, now);
    const velocity = velocityOf(candidate, ageHours);
    const decay = ageDecayFactor(ageHours, params.halfLifeHours);
    return {
      candidate,
      ageHours,
      velocity,
      popularity: popularity(candidate, params.weights, decay),
    };
  });
  const threshold = trendingThreshold(
    measured.map((m) => m.velocity),
    params.trendingMultiplier,
  );
  return measured.map(({ candidate, ageHours, velocity, popularity }) => {
    const isTrending = popularity > 0 && velocity > threshold;
    const engagementCount = actionCount(candidate);
    return {
      postId: candidate.postId,
      popularity,
      velocity,
      isTrending,
      peakTime: peakTime(isTrending, candidate.previous, now),
      decayMultiplier: decayMultiplier(
        velocity,
        engagementCount,
        ageHours,
        params.halfLifeHours,
        params.velocityFloorHours,
        params.fadeShortestShare,
      ),
      engagementCount,
    };
  });
}

/** The `n` most popular scores, ties broken by post id so the order is stable. */
export function rankByPopularity(scores: readonly TrendingScore[], n: number): TrendingScore[] {
  return [...scores]
    .sort((a, b) => b.popularity - a.popularity || byId(a.postId, b.postId))
    .slice(0, n);
}
