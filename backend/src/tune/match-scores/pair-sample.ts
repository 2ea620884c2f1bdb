import type { PairFactors } from "@feed-jobs/scoring/match";
import { outcomeAt, pairKey } from "../../eval/match-scores/outcomes.ts";
import type { EvalPoint } from "../../eval/types.ts";
import type { ScoredList } from "../../jobs/matchScores/batch.ts";

/** One scored (viewer, candidate) pair of a tuning sample. */
export interface SampledPair {
  /** The pair's factors as the version computed them (the job's own object, not a copy). */
  readonly factors: PairFactors;
  readonly positive: boolean;
  /** The version's score, hides included. */
  readonly score: number;
  /** The pair's place in [0, 1), a hash of point and pair: negatives are kept below the rate. */
  readonly draw: number;
}

/**
 * Scored pairs with their outcomes, small enough to fit on: every positive, and the negatives
 * whose draw is below `rate`, which halves whenever more than `maxNegatives` are kept. The
 * sample is the same whatever order the pairs come in (the negatives drawn below the final
 * rate), and each kept negative stands for 1 / rate of them.
 */
export class PairSample {
  rate = 1;
  readonly positives: SampledPair[] = [];
  private kept: SampledPair[] = [];

  constructor(private readonly maxNegatives: number) {}

  get negatives(): readonly SampledPair[] {
    return this.kept;
  }

  /** Whether a negative drawn at `draw` would be kept (checked before its values are built). */
  keeps(draw: number): boolean {
    return draw < this.rate;
  }

  add(pair: SampledPair): void {
    if (pair.positive) {
      this.positives.push(pair);
      return;
    }
    if (!this.keeps(pair.draw)) return;
    this.kept.push(pair);
    while (this.kept.length > this.maxNegatives) {
      this.rate /= 2;
      this.kept = this.kept.filter((p) => this.keeps(p.draw));
    }
  }
}

/** FNV-1a of the text, scaled into [0, 1): a fixed, well-spread draw per pair. */
export function drawOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/**
 * The collect callback that samples one point's lists into `sample`: pairs matched before the
 * point are left out (see the evaluator), each kept pair with its factors.
 */
export function samplePoint(
  sample: PairSample,
  first: ReadonlyMap<string, number>,
  point: EvalPoint,
) {
  const at = point.asOf.toISOString();
  return (rows: readonly unknown[]) => {
    for (const list of rows as readonly ScoredList[]) {
      for (const candidate of list.candidates) {
        const outcome = outcomeAt(first, pairKey(list.viewerId, candidate.id), point);
        if (outcome === "before") continue;
        const positive = outcome === "positive";
        const draw = drawOf(`${at}\n${list.viewerId}\n${candidate.id}`);
        if (!positive && !sample.keeps(draw)) continue;
        const { factors } = candidate;
        if (!factors) throw new Error("match-scores collected a candidate without its factors");
        sample.add({ factors, positive, score: candidate.score, draw });
      }
    }
  };
}
