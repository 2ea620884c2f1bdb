import { dailyDecay } from "../common/decay.ts";
import { pairFactors, sharedSorted } from "./factors.ts";
import {
  DEFAULT_REASON_MIN_VALUE,
  FACTOR_NAMES,
  type Factor,
  type FactorName,
  type MatchProfile,
  type MatchScoringConfig,
  type PairFactors,
} from "./types.ts";

/** A factor as the combination counts it: pulled towards `missing` by its lack of confidence. */
export function countedValue({ value, confidence }: Factor, missing: number): number {
  return confidence * value + (1 - confidence) * missing;
}

/**
 * The weighted mean of the factors, each first pulled towards `missingFactorValue` by its lack of
 * confidence: c·value + (1 − c)·missing. In [0, 1] when weights are non-negative.
 */
export function combineFactors(factors: PairFactors, config: MatchScoringConfig): number {
  let sum = 0;
  let total = 0;
  for (const name of FACTOR_NAMES) {
    const weight = config.weights[name];
    sum += weight * countedValue(factors[name], config.missingFactorValue);
    total += weight;
  }
  return total > 0 ? sum / total : 0;
}

/**
 * What is left of a score after the viewer hid the candidate `daysSinceHide` days ago (null: never):
 * 1 − hidePenalty · 0.5^(days / half-life). A hide today keeps 1 − hidePenalty of the score.
 */
export function hideMultiplier(daysSinceHide: number | null, config: MatchScoringConfig): number {
  if (daysSinceHide === null) return 1;
  const perDay = 0.5 ** (1 / config.hideHalfLifeDays);
  return 1 - config.hidePenalty * dailyDecay(perDay, daysSinceHide);
}

export interface PairScore {
  readonly score: number;
  readonly factors: PairFactors;
}

/** The viewer's score of a candidate: the combined factors times the hide multiplier. */
export function scorePair(
  viewer: MatchProfile,
  candidate: MatchProfile,
  config: MatchScoringConfig,
  daysSinceHide: number | null = null,
): PairScore {
  const factors = pairFactors(
    viewer,
    candidate,
    config.proximityHalfDistanceKm,
    config.demographic,
  );
  return {
    score: combineFactors(factors, config) * hideMultiplier(daysSinceHide, config),
    factors,
  };
}

/** Quiz and proximity count as a reason from `reasonMinValue` up (0.6: cosine 0.2; ≈18 km at 25 km half). */
function codesOf(
  name: FactorName,
  viewer: MatchProfile,
  candidate: MatchProfile,
  factors: PairFactors,
  reasonMinValue: number,
): string[] {
  const { value, confidence } = factors[name];
  if (confidence === 0) return [];
  switch (name) {
    case "quiz":
      return value >= reasonMinValue ? [`quiz_compatible:${Math.round(100 * value)}`] : [];
    case "interests":
      return sharedSorted(viewer.interests, candidate.interests).map((t) => `shared_interest:${t}`);
    case "proximity":
      return value >= reasonMinValue && factors.distanceKm !== null
        ? [`nearby_km:${Math.round(factors.distanceKm)}`]
        : [];
    case "demographic":
      return viewer.relationshipGoal !== null &&
        viewer.relationshipGoal === candidate.relationshipGoal
        ? [`same_goal:${viewer.relationshipGoal.toLowerCase()}`]
        : [];
    case "preferences":
      return [...viewer.wishes.preferences]
        .filter((wish) => candidate.attributes.has(wish))
        .sort()
        .map((wish) => `preferred_attribute:${wish}`);
  }
}

/**
 * Reason codes, strongest factor first (by weight × confidence × value; ties in factor order),
 * at most `maxReasons`, then `hidden_penalty:<pct of the score removed>` when the viewer hid them.
 */
export function explainPair(
  viewer: MatchProfile,
  candidate: MatchProfile,
  factors: PairFactors,
  config: MatchScoringConfig,
  daysSinceHide: number | null = null,
): string[] {
  const ranked = FACTOR_NAMES.map((name, order) => {
    const { value, confidence } = factors[name];
    return { name, order, contribution: config.weights[name] * confidence * value };
  }).sort((a, b) => b.contribution - a.contribution || a.order - b.order);
  const reasons = ranked
    .flatMap(({ name }) => {
      const minValue = config.reasonMinValue ?? DEFAULT_REASON_MIN_VALUE;
      return codesOf(name, viewer, candidate, factors, minValue);
    })
    .slice(0, config.maxReasons);
  if (daysSinceHide !== null) {
    reasons.push(`hidden_penalty:${Math.round(100 * (1 - hideMultiplier(daysSinceHide, config)))}`);
  }
  return reasons;
}
