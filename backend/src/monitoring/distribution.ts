/** Pure statistics for monitoring: quantiles of a score column and drift between two runs. */

/** The quantiles kept for a score distribution, and its mean. */
export interface Quantiles {
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  mean: number;
}

/** The probabilities of {@link Quantiles}, in the order SQL's percentile_cont returns them. */
export const QUANTILE_PROBABILITIES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Builds {@link Quantiles} from percentile_cont's array (in QUANTILE_PROBABILITIES order). */
export function quantilesFrom(values: readonly number[], mean: number): Quantiles {
  const [p05 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0] = values;
  return { p05, p25, p50, p75, p95, mean };
}

/** A drift score above this flags the distribution as drifted. */
export const DEFAULT_DRIFT_THRESHOLD = 0.25;

/**
 * How far `current` moved from `previous`: the largest shift of any quantile or of the mean,
 * as a share of the previous p05–p95 spread (so it does not depend on the score's scale).
 * A previous distribution without spread counts any change as infinite drift.
 */
export function driftScore(previous: Quantiles, current: Quantiles): number {
  const keys = ["p05", "p25", "p50", "p75", "p95", "mean"] as const;
  const shift = Math.max(...keys.map((key) => Math.abs(current[key] - previous[key])));
  const spread = previous.p95 - previous.p05;
  if (spread > 0) return shift / spread;
  return shift === 0 ? 0 : Number.POSITIVE_INFINITY;
}
