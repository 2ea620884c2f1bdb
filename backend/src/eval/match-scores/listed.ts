import type { RankedCandidate } from "@feed-jobs/scoring/match";
import { precisionAtK } from "@feed-jobs/scoring/metrics";
import type { ScoredList } from "../../jobs/matchScores/batch.ts";
import type { EvalPoint } from "../types.ts";
import { outcomeAt, pairKey, positivesAt } from "./outcomes.ts";

/** Cut-off of precision@K: the first screen of suggestions. */
export const PRECISION_AT = 10;

/** How a method scores a listed pair: a version by its own score, a baseline by its formula. */
export type PairScorer = (viewerId: string, candidate: RankedCandidate) => number;

/** The listed pairs' scores and outcomes, pooled over the points. */
export interface ListedTally {
  /** One entry per listed (viewer, candidate) row not matched before its point. */
  readonly scores: number[];
  readonly labels: boolean[];
  /** precision@K of each list with a judged pair (one per viewer and point). */
  readonly precisions: number[];
  /** Pairs of eligible users (both had a list) who matched in a window, and those listed either way. */
  positives: number;
  positivesListed: number;
}

export const emptyTally = (): ListedTally => ({
  scores: [],
  labels: [],
  precisions: [],
  positives: 0,
  positivesListed: 0,
});

const byScoreThenId = (a: Judged, b: Judged) =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface Judged {
  readonly id: string;
  readonly score: number;
  readonly positive: boolean;
}

/**
 * Tallies one point's lists as the job hands them over (`collect`, batch by batch: nothing is
 * kept but the scores and labels), then `end` counts the point's positives among the viewers
 * seen. Pairs matched before the point are left out; each list is ranked by `scorer` (ties by
 * candidate id), so a baseline re-ranks the same lists.
 */
export function tallyPoint(
  tally: ListedTally,
  first: ReadonlyMap<string, number>,
  point: EvalPoint,
  scorer: PairScorer,
) {
  const viewers = new Set<string>();
  const listedPositives = new Set<string>();
  const collect = (rows: readonly unknown[]) => {
    for (const list of rows as readonly ScoredList[]) {
      viewers.add(list.viewerId);
      const judged: Judged[] = [];
      for (const candidate of list.candidates) {
        const key = pairKey(list.viewerId, candidate.id);
        const outcome = outcomeAt(first, key, point);
        if (outcome === "before") continue;
        if (outcome === "positive") listedPositives.add(key);
        const score = scorer(list.viewerId, candidate);
        judged.push({ id: candidate.id, score, positive: outcome === "positive" });
      }
      judged.sort(byScoreThenId);
      for (const pair of judged) {
        tally.scores.push(pair.score);
        tally.labels.push(pair.positive);
      }
      const precision = precisionAtK(
        judged.slice(0, PRECISION_AT).map((pair) => pair.positive),
        PRECISION_AT,
      );
      if (precision !== null) tally.precisions.push(precision);
    }
  };
  const end = () => {
    for (const key of positivesAt(first, point)) {
      const [a = "", b = ""] = key.split("\n");
      if (!viewers.has(a) || !viewers.has(b)) continue;
      tally.positives++;
      if (listedPositives.has(key)) tally.positivesListed++;
    }
  };
  return { collect, end };
}
