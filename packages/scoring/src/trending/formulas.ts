/** The formulas of trending scoring, one function each; see index.ts for the definitions. */

const MS_PER_HOUR = 3_600_000;

/** A post with no momentum left fades at this share of the half-life, by default. */
export const DEFAULT_FADE_SHORTEST_SHARE = 0.5;

/** Weight of each kind of action in popularity; `hide` is subtracted. */
export interface TrendingWeights {
  readonly like: number;
  readonly comment: number;
  readonly share: number;
  readonly profileView: number;
  readonly hide: number;
}

/** Counts of a post's engagement over its life (at most the window). */
export interface EngagementCounts {
  readonly likes: number;
  readonly comments: number;
  readonly shares: number;
  readonly profileViews: number;
  readonly hides: number;
}

/** Actions (what the gate counts and `engagementCount` holds): likes, comments, shares, profile views. */
export const actionCount = (c: EngagementCounts) =>
  c.likes + c.comments + c.shares + c.profileViews;

/** 0.5 ^ (ageHours / halfLifeHours): 1 for a new post, ½ after one half-life. */
export function ageDecayFactor(ageHours: number, halfLifeHours: number): number {
  return 0.5 ** (Math.max(0, ageHours) / halfLifeHours);
}

/** Weighted actions minus weighted hides, floored at 0, times the age decay. */
export function popularity(
  counts: EngagementCounts,
  weights: TrendingWeights,
  ageDecay: number,
): number {
  const weighted =
    counts.likes * weights.like +
    counts.comments * weights.comment +
    counts.shares * weights.share +
    counts.profileViews * weights.profileView -
    counts.hides * weights.hide;
  return Math.max(0, weighted) * ageDecay;
}

/** Hours the velocity is measured over: the window, or the post's life, never under the floor. */
function velocitySpanHours(ageHours: number, windowHours: number, floorHours: number): number {
  return Math.min(windowHours, Math.max(ageHours, floorHours));
}

/** Engagements per hour: actions in the velocity window over the span they had to happen in. */
export function velocityPerHour(
  recentActions: number,
  ageHours: number,
  windowHours: number,
  floorHours: number,
): number {
  return recentActions / velocitySpanHours(ageHours, windowHours, floorHours);
}

/** The velocity a candidate must exceed to trend: mean velocity × multiplier (0 when none). */
export function trendingThreshold(velocities: readonly number[], multiplier: number): number {
  if (velocities.length === 0) return 0;
  let sum = 0;
  for (const v of velocities) sum += v;
  return (sum / velocities.length) * multiplier;
}

/** What the previous run recorded about a post, if it scored it. */
export interface PeakState {
  readonly wasTrending: boolean;
  readonly peakTime: Date | null;
}

/**
 * When the post started trending: the previous peak while it stays trending (unless that peak
 * lies after `now`, as when re-running an earlier clock), `now` when it starts, null otherwise.
 */
export function peakTime(isTrending: boolean, previous: PeakState | null, now: Date): Date | null {
  if (!isTrending) return null;
  const carried = previous?.wasTrending ? previous.peakTime : null;
  return carried && carried.getTime() <= now.getTime() ? carried : now;
}

/**
 * Per-hour fade factor: 0.5 ^ (1 / effectiveHalfLife), the half-life shortened down to
 * `shortestShare` of itself (half) for a post whose recent velocity fell below its lifetime rate
 * of actions.
 */
export function decayMultiplier(
  velocity: number,
  engagementCount: number,
  ageHours: number,
  halfLifeHours: number,
  floorHours: number,
  shortestShare = DEFAULT_FADE_SHORTEST_SHARE,
): number {
  const lifetimeRate = engagementCount / Math.max(ageHours, floorHours);
  const momentum = lifetimeRate > 0 ? Math.min(1, velocity / lifetimeRate) : 0;
  const effectiveHalfLife = halfLifeHours * (shortestShare + (1 - shortestShare) * momentum);
  return 0.5 ** (1 / effectiveHalfLife);
}

export const hoursBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / MS_PER_HOUR;
