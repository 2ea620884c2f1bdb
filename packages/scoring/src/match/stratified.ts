import { distanceKm } from "./geo.ts";
import { compareIds, smallestKeys } from "./rank.ts";
import type { MatchProfile } from "./types.ts";

/**
 * The places of `cap` that candidates without a comparable quiz get, in a pool of `total` of
 * which `noQuiz` have none: their share of the pool, rounded half up. In integers,
 * ⌊(2·cap·noQuiz + total) / (2·total)⌋, so that the job's SQL form agrees to the unit.
 */
export function noQuizQuota(cap: number, noQuiz: number, total: number): number {
  return total === 0 ? 0 : Math.floor((2 * cap * noQuiz + total) / (2 * total));
}

/**
 * match-v3's narrowing of a pool larger than `cap`, stratified so that a missing input does not
 * make people invisible (narrowing by quiz first, users without one, 28% of those eligible on
 * real profiles, made up 0.3% of the listed rows). The candidates whose quiz does not compare
 * with the viewer's keep their share of the pool ({@link noQuizQuota}), nearest in km first
 * (unknown last); the other places go to the nearest quizzes; ids break ties. A viewer without
 * a quiz gets the nearest in km, as match-v2 narrows. `quizDistances`: 1 − cosine, NaN where the
 * quizzes do not compare (as `narrowByQuizDistance` takes them).
 */
export function narrowStratified<T extends MatchProfile>(
  viewer: MatchProfile,
  candidates: readonly T[],
  quizDistances: Float64Array,
  cap: number,
): T[] {
  if (candidates.length <= cap) return [...candidates];
  const kmWithoutQuiz = Float64Array.from(candidates, (candidate, i) =>
    Number.isNaN(quizDistances[i]) ? kmOrFarthest(viewer, candidate) : Number.NaN,
  );
  const noQuiz = kmWithoutQuiz.filter((km) => !Number.isNaN(km)).length;
  const quota = noQuizQuota(cap, noQuiz, candidates.length);
  return [
    ...nearest(candidates, quizDistances, cap - quota),
    ...nearest(candidates, kmWithoutQuiz, quota),
  ];
}

/** Great-circle km, +∞ when either location is unknown (last, yet in the stratum). */
function kmOrFarthest(viewer: MatchProfile, candidate: MatchProfile): number {
  return viewer.location && candidate.location
    ? distanceKm(viewer.location, candidate.location)
    : Number.POSITIVE_INFINITY;
}

/** The `k` candidates of smallest key (NaN: not of this stratum), ids breaking ties. */
function nearest<T extends MatchProfile>(
  candidates: readonly T[],
  keys: Float64Array,
  k: number,
): T[] {
  if (k <= 0) return [];
  const key = (i: number) => keys[i] as number;
  const id = (i: number) => (candidates[i] as T).id;
  const order = smallestKeys(keys, k).sort(
    (i, j) => (key(i) === key(j) ? 0 : key(i) - key(j)) || compareIds(id(i), id(j)),
  );
  return order.slice(0, k).map((i) => candidates[i] as T);
}
