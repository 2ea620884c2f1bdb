import { goalCompatibility } from "./goals.ts";
import {
  type AgeInYearsParams,
  DEFAULT_DEMOGRAPHIC_PARAMS,
  type Factor,
  type FactorWeights,
  type MatchProfile,
  type MatchScoringConfig,
  type MatchWishes,
} from "./types.ts";

/**
 * match-v3's own constants (the job's config group `v3`). Its factors are match-v2's but the
 * demographic one ({@link demographicInYears}); the combination is the same weighted mean, where
 * a factor without evidence counts `missingValue` at its full weight.
 */
export interface MatchV3Params {
  readonly weights: FactorWeights;
  /**
   * What a factor without evidence counts as. At most the lowest real value (0: no shared tag,
   * opposite quizzes), so that a missing input never ranks above a real one.
   */
  readonly missingValue: number;
  readonly ageScaleYears: number;
  readonly goalShare: number;
}

/**
 * Defaults, priors for `pnpm job tune match-scores` to fit on an operator's own outcomes: match-v2's
 * split with weight moved to the demographic factor, which is now mostly the age gap (on real
 * data the age gap ranked mutual likes about as well as the quiz, AUC 0.552 and 0.545, and goal
 * compatibility not at all, 0.49: so goal keeps a small share). A 5-year scale is about the spread
 * of partners' age gaps.
 */
export const DEFAULT_MATCH_V3_PARAMS: MatchV3Params = {
  weights: { quiz: 0.3, interests: 0.2, proximity: 0.15, demographic: 0.25, preferences: 0.1 },
  missingValue: 0,
  ageScaleYears: 5,
  goalShare: 0.1,
};

/**
 * match-v3's scoring config: `shared`'s settings (proximity, hides, reasons, the goal table)
 * with match-v3's weights, missing value and demographic constants.
 */
export function matchV3Scoring(shared: MatchScoringConfig, v3: MatchV3Params): MatchScoringConfig {
  const goals =
    shared.demographic?.goalCompatibility ?? DEFAULT_DEMOGRAPHIC_PARAMS.goalCompatibility;
  return {
    ...shared,
    weights: v3.weights,
    missingFactorValue: v3.missingValue,
    demographic: {
      ageScaleYears: v3.ageScaleYears,
      goalShare: v3.goalShare,
      goalCompatibility: goals,
    },
  };
}

/** The age a user would pick: their own, clamped into their stated range (match-v2's anchor). */
export function idealAge(wishes: MatchWishes, ownAge: number): number {
  return Math.min(Math.max(ownAge, wishes.minAge), wishes.maxAge);
}

/**
 * Age fit in years, both ways. Each side fits exp(−½·(gap / scale)²), the gap being the other's
 * age from the side's ideal; the pair fits the geometric mean of its two sides,
 * exp(−(gapA² + gapB²) / (4·scale²)). 1 when each is the other's ideal. A gap costs the same
 * whatever the width of the stated ranges (they are hard filters, not a scale: with 18–99 a
 * range-relative fit hardly moves over ten years). Symmetric.
 */
export function ageFitInYears(a: MatchProfile, b: MatchProfile, scaleYears: number): number {
  const gapA = b.age - idealAge(a.wishes, a.age);
  const gapB = a.age - idealAge(b.wishes, b.age);
  return Math.exp(-(gapA * gapA + gapB * gapB) / (4 * scaleYears * scaleYears));
}

/**
 * match-v3's demographic factor: (1 − goalShare)·age fit + goalShare·goal compatibility when both
 * goals are known (confidence 1). With either goal missing only the age part is known: value the
 * age fit, confidence 1 − goalShare, so the goal's share counts the combination's missing value
 * rather than a made-up compatibility.
 */
export function demographicInYears(a: MatchProfile, b: MatchProfile, p: AgeInYearsParams): Factor {
  const age = ageFitInYears(a, b, p.ageScaleYears);
  if (a.relationshipGoal === null || b.relationshipGoal === null) {
    return { value: age, confidence: 1 - p.goalShare };
  }
  const goal = goalCompatibility(a.relationshipGoal, b.relationshipGoal, p.goalCompatibility);
  return { value: (1 - p.goalShare) * age + p.goalShare * goal, confidence: 1 };
}
