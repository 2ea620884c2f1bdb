import {
  combineFactors,
  countedValue,
  FACTOR_NAMES,
  type FactorName,
  type FactorWeights,
  type MatchScoringConfig,
} from "@feed-jobs/scoring/match";
import { logisticRegression } from "@feed-jobs/scoring/metrics";
import type { PairSample, SampledPair } from "./pair-sample.ts";

/** Ridge penalty: the counted values share one scale ([0, 1]); small beside thousands of pairs. */
const L2 = 1;
/** Weights are rounded to this many decimals (they are shown and stored). */
const DECIMALS = 4;

export interface FittedWeights {
  /** Non-negative, summing to about 1; null when no factor raises the odds of a match. */
  readonly weights: FactorWeights | null;
  /** The last fit's coefficient of each factor kept (log-odds per unit of counted value). */
  readonly coefficients: Partial<Record<FactorName, number>>;
  /** Factors whose coefficient came out negative, dropped one at a time and refitted without. */
  readonly dropped: readonly FactorName[];
  readonly converged: boolean;
}

/**
 * Fits P(matched) = sigmoid(b + Σ β·v) on the sample, v each factor as the combination counts it
 * (`countedValue` with the version's missing value), each kept negative weighted 1 / rate; then
 * weights = β / Σβ. The score is the weights' mean of the same values, so it ranks pairs exactly
 * as the fitted model does. Weights cannot be negative: the factor with the most negative
 * coefficient is dropped and the rest refitted, until none is.
 */
export function fitWeights(sample: PairSample, missingValue: number): FittedWeights {
  if (sample.positives.length === 0 || sample.negatives.length === 0) {
    return { weights: null, coefficients: {}, dropped: [], converged: false };
  }
  const pairs = [...sample.positives, ...sample.negatives];
  const values = pairs.map((p) =>
    FACTOR_NAMES.map((n) => countedValue(p.factors[n], missingValue)),
  );
  const labels = pairs.map((p) => p.positive);
  const sampleWeights = pairs.map((p) => (p.positive ? 1 : 1 / sample.rate));
  let kept = FACTOR_NAMES.map((_, i) => i);
  const dropped: FactorName[] = [];
  while (kept.length > 0) {
    const rows = values.map((v) => kept.map((i) => v[i] as number));
    const model = logisticRegression(rows, labels, { l2: L2, sampleWeights });
    const names = kept.map((i) => FACTOR_NAMES[i] as FactorName);
    const worst = model.coefficients.indexOf(Math.min(...model.coefficients));
    if ((model.coefficients[worst] as number) < 0) {
      dropped.push(names[worst] as FactorName);
      kept = kept.filter((_, j) => j !== worst);
      continue;
    }
    const coefficients = Object.fromEntries(names.map((n, j) => [n, model.coefficients[j]]));
    return { weights: normalised(coefficients), coefficients, dropped, converged: model.converged };
  }
  return { weights: null, coefficients: {}, dropped, converged: true };
}

function normalised(coefficients: Partial<Record<FactorName, number>>): FactorWeights | null {
  const total = Object.values(coefficients).reduce((sum, c) => sum + c, 0);
  if (!(total > 0)) return null;
  const share = (name: FactorName) => Number(((coefficients[name] ?? 0) / total).toFixed(DECIMALS));
  return Object.fromEntries(FACTOR_NAMES.map((name) => [name, share(name)])) as FactorWeights;
}

/**
 * A pair's score with other weights: the version's own score with its combination re-weighted
 * (the hide multiplier, score / combination, kept).
 */
export function rescored(
  pair: SampledPair,
  scoring: MatchScoringConfig,
  weights: FactorWeights,
): number {
  const was = combineFactors(pair.factors, scoring);
  const now = combineFactors(pair.factors, { ...scoring, weights });
  return was > 0 ? (pair.score * now) / was : now;
}
