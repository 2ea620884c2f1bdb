/**
 * MatchScore scoring: discovery compatibility of a viewer and a candidate, from discovery inputs
 * only (quiz, interests, preferences, place). No engagement of any kind comes in here.
 *
 * Factors, each a value in [0, 1] with a confidence in [0, 1], each symmetric in the two users:
 * - quiz: (1 + cosine of the quiz vectors, centred on the neutral answer 0.5) / 2.
 * - interests: Jaccard index of the interest tags.
 * - proximity: 0.5^(km / proximityHalfDistanceKm) on the great-circle distance.
 * - demographic: mean of both users' age fit (1 at their own age clamped into their range, 0.5 a
 *   full range-width away) averaged with relationship-goal compatibility.
 * - preferences: mean share of each user's soft preferences the other's attributes meet.
 * Combined: Σ w·(c·value + (1 − c)·missingFactorValue) / Σ w, times the hide multiplier
 * 1 − hidePenalty·0.5^(days since the viewer hid the candidate / hideHalfLifeDays).
 *
 * Missing inputs never throw and never count as a perfect match; they lower confidence:
 * - no quiz on either side, a null or non-finite answer, all answers neutral, or vectors of
 *   different lengths → quiz confidence 0;
 * - no interests on either side → interests confidence 0 (no shared tag is not "missing": it is 0);
 * - no location on either side → proximity confidence 0 (and no distance filter, see the job);
 * - no relationship goal on either side → demographic uses age fit only, confidence 0.5;
 * - neither user has soft preferences → preferences confidence 0; only one has → confidence 0.5.
 * A factor with confidence 0 counts exactly `missingFactorValue` (default 0.25, below a typical
 * real value, so complete profiles rank above incomplete ones without hiding the latter).
 * Age is always known: users without a birth date (or under 18) are never scored.
 */

export { CandidateIndex, type DiscoveryUser } from "./candidate-index.ts";
export {
  combineFactors,
  explainPair,
  hideMultiplier,
  scorePair,
} from "./combine.ts";
export {
  ageFit,
  demographicFactor,
  goalCompatibility,
  interestFactor,
  pairFactors,
  preferenceFactor,
  proximityFactor,
  quizFactor,
  UNKNOWN,
} from "./factors.ts";
export { acceptEachOther, withinEachOthersDistance } from "./filters.ts";
export { distanceKm, EARTH_RADIUS_KM, KM_PER_MILE } from "./geo.ts";
export { cosineSimilarity, QUIZ_NEUTRAL_ANSWER, toQuizVector, unitCosine } from "./quiz.ts";
export {
  narrowByQuiz,
  narrowByQuizDistance,
  rankCandidates,
  smallestKeys,
  topByScore,
} from "./rank.ts";
export * from "./types.ts";
