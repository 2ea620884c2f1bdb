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
 *
 * match-v3 (`v3.ts`, `stratified.ts`) keeps these factors and this combination, with its own
 * weights and: the demographic factor's age fit in years, exp(−(gapA² + gapB²) / (4·scale²)),
 * whatever the ranges' widths; the goal's share (default 0.1) unknown when either goal is
 * missing; a missing input counting `missingValue` (default 0, never above a real value); and
 * narrowing that keeps the candidates without a comparable quiz in their share of the pool.
 *
 * Hard filters, each both ways: gender sought, age inside the other's range, no dealbreaker, and
 * distance: when both locations are known, the great-circle distance is within BOTH users' max
 * distance (`withinEachOthersDistance`, the `CandidateIndex`); an unknown location is never too far.
 *
 * Invalid stored inputs are made usable before they reach this code, in one place (the job's
 * SQL, backend/src/jobs/matchScores/sql.ts), so every candidate search sees the same values;
 * each kind is counted in the run's `metadata.excluded`:
 * - invalidAgeRange: an age bound outside [18, 120] is clamped into it (nobody older exists, and
 *   nobody younger may be shown); a range still inverted accepts nobody (nor is accepted).
 * - invalidMaxDistance: NaN, ±Infinity or negative → the default (80 km), as without preferences:
 *   rejecting the user would hide them for a typo, and "unlimited" would widen whom they meet.
 * - invalidQuiz: a NULL, NaN or infinite answer, one outside [0, 1], or over 1,000 answers → no
 *   quiz (quiz confidence 0), as a missing one.
 * - nullListElement: NULL elements of attributes, genders sought, dealbreakers and preferences are
 *   dropped (interest tags cannot be NULL: they are a key).
 * - invalidLocation: a latitude outside [-90, 90], a longitude outside [-180, 180], NaN, or a
 *   latitude without a longitude is rejected: the user is shown nobody (an empty list) and to
 *   nobody. Treating it as unknown would show them to everyone regardless of distance. (No
 *   latitude at all is an unknown location.)
 */

export { CandidateIndex, type DiscoveryUser } from "./candidate-index.ts";
export {
  combineFactors,
  countedValue,
  explainPair,
  hideMultiplier,
  scorePair,
} from "./combine.ts";
export {
  ageFit,
  demographicFactor,
  interestFactor,
  pairFactors,
  preferenceFactor,
  proximityFactor,
  quizFactor,
  UNKNOWN,
} from "./factors.ts";
export { acceptEachOther, withinEachOthersDistance } from "./filters.ts";
export { distanceKm, EARTH_RADIUS_KM, KM_PER_MILE } from "./geo.ts";
export { goalCompatibility } from "./goals.ts";
export { cosineSimilarity, QUIZ_NEUTRAL_ANSWER, toQuizVector, unitCosine } from "./quiz.ts";
export {
  compareIds,
  narrowByQuiz,
  narrowByQuizDistance,
  quizDistancesOf,
  type RankedCandidate,
  rankCandidates,
  smallestKeys,
  topByScore,
} from "./rank.ts";
export { MAX_REACH_BOXES, type Reach, type Reaching, reachesOf, reachOf } from "./reach.ts";
export { narrowStratified, noQuizQuota } from "./stratified.ts";
export * from "./types.ts";
export {
  ageFitInYears,
  DEFAULT_MATCH_V3_PARAMS,
  demographicInYears,
  idealAge,
  type MatchV3Params,
  matchV3Scoring,
} from "./v3.ts";
