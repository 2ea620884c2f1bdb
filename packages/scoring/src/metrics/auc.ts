import { Z_95 } from "./intervals.ts";
import { averageRanks } from "./ranks.ts";

/**
 * ROC AUC: the probability that a random positive scores above a random negative, a tie
 * counting ½. Computed in O(n log n) as the Mann–Whitney U of the positives' average ranks:
 * AUC = (Σ ranks of positives − P(P+1)/2) / (P·N). null without a positive or a negative.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<boolean>): number | null {
  if (scores.length !== labels.length) {
    throw new RangeError(`auc: ${scores.length} scores but ${labels.length} labels`);
  }
  const ranks = averageRanks(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (labels[i]) {
      positives++;
      positiveRankSum += ranks[i] as number;
    }
  }
  const negatives = ranks.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/**
 * 95 % interval of an AUC from Hanley & McNeil (1982): SE² = (A(1−A) + (P−1)(Q1−A²) +
 * (N−1)(Q2−A²)) / (P·N), Q1 = A/(2−A), Q2 = 2A²/(1+A); A ± 1.96·SE clamped to [0, 1].
 * Its exponential-score assumption makes it approximate, and at A = 0 or 1 it has zero width.
 * [0, 1] (nothing known) without a positive or a negative.
 */
export function aucInterval(auc: number, positives: number, negatives: number): [number, number] {
  if (positives <= 0 || negatives <= 0) return [0, 1];
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const squared = auc * auc;
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - squared) + (negatives - 1) * (q2 - squared)) /
    (positives * negatives);
  const half = Z_95 * Math.sqrt(Math.max(0, variance));
  return [Math.max(0, auc - half), Math.min(1, auc + half)];
}
