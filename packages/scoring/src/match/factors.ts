import { distanceKm } from "./geo.ts";
import { goalCompatibility } from "./goals.ts";
import { cosineSimilarity } from "./quiz.ts";
import {
  type AgeInYearsParams,
  DEFAULT_DEMOGRAPHIC_PARAMS,
  type DemographicParams,
  type Factor,
  type MatchProfile,
  type MatchWishes,
  type PairFactors,
  type QuizVector,
} from "./types.ts";
import { demographicInYears } from "./v3.ts";

/** No evidence: the combination replaces it with the configured missing value. */
export const UNKNOWN: Factor = { value: 0, confidence: 0 };

/** Quiz compatibility: cosine similarity mapped from [-1, 1] onto [0, 1]. Symmetric. */
export function quizFactor(a: QuizVector | null, b: QuizVector | null): Factor {
  if (!a || !b) return UNKNOWN;
  const cosine = cosineSimilarity(a, b);
  return cosine === null ? UNKNOWN : { value: (1 + cosine) / 2, confidence: 1 };
}

/** Jaccard index of two sorted, duplicate-free tag lists. Symmetric. */
export function interestFactor(a: readonly string[], b: readonly string[]): Factor {
  if (a.length === 0 || b.length === 0) return UNKNOWN;
  let shared = 0;
  mergeShared(a, b, () => shared++);
  return { value: shared / (a.length + b.length - shared), confidence: 1 };
}

/** Tags present in both sorted lists, in sorted order. */
export function sharedSorted(a: readonly string[], b: readonly string[]): string[] {
  const shared: string[] = [];
  mergeShared(a, b, (tag) => shared.push(tag));
  return shared;
}

/** Walks two sorted lists once, calling `found` for each element of both (every pair scored). */
function mergeShared(a: readonly string[], b: readonly string[], found: (tag: string) => void) {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x === y) {
      found(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

/** Distance decay: 1 at 0 km, 0.5 at `halfDistanceKm`, halving again every `halfDistanceKm`. */
export function proximityFactor(km: number | null, halfDistanceKm: number): Factor {
  if (km === null) return UNKNOWN;
  return { value: 0.5 ** (km / halfDistanceKm), confidence: 1 };
}

/**
 * How well `otherAge` sits in a user's preferred range, anchored on the user's own age (clamped
 * into the range): 1 at the anchor, falling linearly to `floor` (0.5) a full range-width away;
 * 0 outside.
 */
export function ageFit(
  wishes: MatchWishes,
  ownAge: number,
  otherAge: number,
  floor = DEFAULT_DEMOGRAPHIC_PARAMS.ageFitFloor,
): number {
  if (otherAge < wishes.minAge || otherAge > wishes.maxAge) return 0;
  const anchor = Math.min(Math.max(ownAge, wishes.minAge), wishes.maxAge);
  const width = Math.max(wishes.maxAge - wishes.minAge, 1);
  return 1 - (1 - floor) * Math.min(1, Math.abs(otherAge - anchor) / width);
}

/**
 * Demographic alignment: the mean of both users' age fit, mixed with goal compatibility
 * (`goalShare`, half) when both goals are known. Without a goal only the age part is known:
 * confidence `ageOnlyConfidence` (0.5).
 */
export function demographicFactor(
  a: MatchProfile,
  b: MatchProfile,
  params: DemographicParams = DEFAULT_DEMOGRAPHIC_PARAMS,
): Factor {
  const floor = params.ageFitFloor;
  const age = (ageFit(a.wishes, a.age, b.age, floor) + ageFit(b.wishes, b.age, a.age, floor)) / 2;
  if (a.relationshipGoal === null || b.relationshipGoal === null) {
    return { value: age, confidence: params.ageOnlyConfidence };
  }
  const goal = goalCompatibility(a.relationshipGoal, b.relationshipGoal, params.goalCompatibility);
  return { value: (1 - params.goalShare) * age + params.goalShare * goal, confidence: 1 };
}

/** Share of `wishes` that `attributes` fulfil, undefined when there are no wishes. */
function wishShare(wishes: readonly string[], attributes: ReadonlySet<string>): number | undefined {
  if (wishes.length === 0) return undefined;
  let met = 0;
  for (const wish of wishes) if (attributes.has(wish)) met++;
  return met / wishes.length;
}

/**
 * Mutual soft preferences: the mean share of each user's wishes the other meets. A user without
 * wishes contributes nothing: confidence is the share of the two sides that have wishes.
 */
export function preferenceFactor(a: MatchProfile, b: MatchProfile): Factor {
  const sides = [
    wishShare(a.wishes.preferences, b.attributes),
    wishShare(b.wishes.preferences, a.attributes),
  ];
  const known = sides.filter((s): s is number => s !== undefined);
  if (known.length === 0) return UNKNOWN;
  return { value: known.reduce((x, y) => x + y, 0) / known.length, confidence: known.length / 2 };
}

/**
 * Every factor of a pair. Each is symmetric in its two users. The demographic one is match-v3's
 * {@link demographicInYears} when `demographic` holds its constants, else match-v2's.
 */
export function pairFactors(
  viewer: MatchProfile,
  candidate: MatchProfile,
  proximityHalfDistanceKm: number,
  demographic: DemographicParams | AgeInYearsParams = DEFAULT_DEMOGRAPHIC_PARAMS,
): PairFactors {
  const km =
    viewer.location && candidate.location ? distanceKm(viewer.location, candidate.location) : null;
  return {
    quiz: quizFactor(viewer.quiz, candidate.quiz),
    interests: interestFactor(viewer.interests, candidate.interests),
    proximity: proximityFactor(km, proximityHalfDistanceKm),
    demographic:
      "ageScaleYears" in demographic
        ? demographicInYears(viewer, candidate, demographic)
        : demographicFactor(viewer, candidate, demographic),
    preferences: preferenceFactor(viewer, candidate),
    distanceKm: km,
  };
}
