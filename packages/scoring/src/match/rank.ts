import { explainPair, scorePair } from "./combine.ts";
import { distanceKm } from "./geo.ts";
import { cosineSimilarity } from "./quiz.ts";
import type { MatchProfile, MatchScoringConfig, PairFactors } from "./types.ts";

/** Code-unit order, as the candidate query's `COLLATE "C"` tie-breaks. */
export const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Best first: higher score, then candidate id. Sorts in place and keeps the first `k`. */
export function topByScore<T extends { readonly id: string; readonly score: number }>(
  scored: T[],
  k: number,
): T[] {
  scored.sort((a, b) => b.score - a.score || compareIds(a.id, b.id));
  if (scored.length > k) scored.length = k;
  return scored;
}

/**
 * Indices of the entries whose key is among the `k` smallest (NaN keys never), ties at the
 * boundary included: what a full sort would keep, found with one native numeric sort of the
 * keys instead of sorting the entries themselves.
 */
export function smallestKeys(keys: Float64Array, k: number): number[] {
  const known = keys.filter((key) => !Number.isNaN(key)).sort();
  const bound = known.length > k ? (known[k - 1] as number) : Number.POSITIVE_INFINITY;
  const kept: number[] = [];
  for (let i = 0; i < keys.length; i++) if ((keys[i] as number) <= bound) kept.push(i);
  return kept;
}

/**
 * The exact form of the candidate narrowing (the pgvector path orders the same way): candidates
 * whose quiz compares with the viewer's (both usable, same length), nearest quiz first; then
 * the rest, nearest first (unknown distance last); ids break ties. Keeps the first `cap`.
 */
export function narrowByQuiz(
  viewer: MatchProfile,
  candidates: readonly MatchProfile[],
  cap: number,
): MatchProfile[] {
  if (candidates.length <= cap) return [...candidates];
  return narrowByQuizDistance(viewer, candidates, quizDistancesOf(viewer, candidates), cap);
}

/** Each candidate's quiz distance from the viewer (1 − cosine), NaN where the quizzes do not compare. */
export function quizDistancesOf(
  viewer: MatchProfile,
  candidates: readonly MatchProfile[],
): Float64Array {
  return Float64Array.from(candidates, (candidate) => {
    const cosine =
      viewer.quiz && candidate.quiz ? cosineSimilarity(viewer.quiz, candidate.quiz) : null;
    return cosine === null ? Number.NaN : 1 - cosine;
  });
}

/**
 * {@link narrowByQuiz} with each candidate's quiz distance (1 − cosine) already known, NaN
 * where the quizzes do not compare.
 */
export function narrowByQuizDistance<T extends MatchProfile>(
  viewer: MatchProfile,
  candidates: readonly T[],
  quizDistances: Float64Array,
  cap: number,
): T[] {
  if (candidates.length <= cap) return [...candidates];
  const nearest = smallestKeys(quizDistances, cap);
  // Only when fewer than `cap` quizzes compare do the others (ordered by distance) come in.
  const keep = nearest.length >= cap ? nearest : candidates.map((_, i) => i);
  const keyed = keep.map((i) => {
    const candidate = candidates[i] as T;
    const quizDistance = Number.isNaN(quizDistances[i]) ? null : (quizDistances[i] as number);
    const km =
      quizDistance === null && viewer.location && candidate.location
        ? distanceKm(viewer.location, candidate.location)
        : null;
    return { candidate, quizDistance, km };
  });
  keyed.sort((a, b) => {
    const byQuiz = nullsLast(a.quizDistance, b.quizDistance);
    if (byQuiz !== 0 || a.quizDistance !== null)
      return byQuiz || compareIds(a.candidate.id, b.candidate.id);
    return nullsLast(a.km, b.km) || compareIds(a.candidate.id, b.candidate.id);
  });
  return keyed.slice(0, cap).map((k) => k.candidate);
}

function nullsLast(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a - b;
}

export interface RankedCandidate {
  readonly id: string;
  readonly score: number;
  readonly reasons: string[];
  /** The pair's factors, only when asked for (`eval` and `tune` read them; real runs do not). */
  readonly factors?: PairFactors;
}

/**
 * The viewer's best `topK` of `candidates` (already hard-filtered): each scored, the best kept
 * (score, then id), and only those explained. `daysSinceHide` says when the viewer hid one;
 * `withFactors` keeps each kept candidate's factors on it.
 */
export function rankCandidates(
  viewer: MatchProfile,
  candidates: readonly MatchProfile[],
  config: MatchScoringConfig,
  topK: number,
  daysSinceHide: (candidateId: string) => number | null = () => null,
  { withFactors = false }: { readonly withFactors?: boolean } = {},
): RankedCandidate[] {
  const pairs = candidates.map((candidate) => {
    const days = daysSinceHide(candidate.id);
    const { score, factors } = scorePair(viewer, candidate, config, days);
    return { id: candidate.id, candidate, days, score, factors };
  });
  const negated = Float64Array.from(pairs, (p) => -p.score);
  const best = smallestKeys(negated, topK).map((i) => pairs[i] as (typeof pairs)[number]);
  return topByScore(best, topK).map((s) => ({
    id: s.id,
    score: s.score,
    reasons: explainPair(viewer, s.candidate, s.factors, config, s.days),
    ...(withFactors && { factors: s.factors }),
  }));
}
