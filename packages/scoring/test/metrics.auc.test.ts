import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auc, aucInterval } from "../src/metrics.ts";

/** AUC by definition: over all positive × negative pairs, 1 when the positive scores higher, ½ on a tie. */
function pairwiseAuc(scores: number[], labels: boolean[]): number | null {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((n, j) => {
      if (labels[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return pairs === 0 ? null : wins / pairs;
}

/** Integer scores in a small range, so samples have ties and exact monotone transforms. */
const sample = fc
  .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 60 })
  .map((pairs) => ({ scores: pairs.map(([s]) => s), labels: pairs.map(([, l]) => l) }))
  .filter(({ labels }) => labels.includes(true) && labels.includes(false));

describe("auc", () => {
  it("counts a tie as half a win", () => {
    // Positives {0.5, 0.5}, negatives {0.5, 0.1}: pairs 0.5~0.5 (½), 0.5>0.1 (1), 0.5~0.5 (½),
    // 0.5>0.1 (1) → 3 / 4 = 0.75.
    expect(auc([0.5, 0.5, 0.5, 0.1], [true, true, false, false])).toBe(0.75);
    // Positives {0.9, 0.5}, negatives {0.5, 0.1}: 1 + 1 + ½ + 1 = 3.5 / 4.
    expect(auc([0.9, 0.5, 0.5, 0.1], [true, true, false, false])).toBe(0.875);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one, ½ when all scores tie", () => {
    expect(auc([3, 2, 1], [true, true, false])).toBe(1);
    expect(auc([1, 2, 3], [true, true, false])).toBe(0);
    expect(auc([7, 7, 7, 7], [true, false, true, false])).toBe(0.5);
  });

  it("is null without a positive or without a negative", () => {
    expect(auc([1, 2], [false, false])).toBeNull();
    expect(auc([1, 2], [true, true])).toBeNull();
    expect(auc([], [])).toBeNull();
  });

  it("refuses scores and labels of different lengths", () => {
    expect(() => auc([1, 2], [true])).toThrow(RangeError);
  });

  it("equals the pairwise definition, stays in [0, 1], flips under negation", () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const value = auc(scores, labels) as number;
        expect(value).toBeCloseTo(pairwiseAuc(scores, labels) as number, 12);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(
          auc(
            scores.map((s) => -s),
            labels,
          ),
        ).toBeCloseTo(1 - value, 12);
      }),
    );
  });

  it("depends only on the order of the scores (invariant under a monotone transform)", () => {
    fc.assert(
      fc.property(sample, ({ scores, labels }) => {
        const value = auc(scores, labels);
        expect(
          auc(
            scores.map((s) => s ** 3 + 2 * s),
            labels,
          ),
        ).toBe(value);
        expect(
          auc(
            scores.map((s) => Math.exp(s / 10)),
            labels,
          ),
        ).toBe(value);
      }),
    );
  });
});

describe("aucInterval", () => {
  it("matches Hanley & McNeil's standard error", () => {
    // A = 0.8, P = N = 50: Q1 = 0.8/1.2 = 0.666667, Q2 = 2·0.64/1.8 = 0.711111;
    // SE² = (0.16 + 49·0.026667 + 49·0.071111) / 2500 = 0.0019804, SE = 0.044502;
    // 0.8 ± 1.96·0.044502 = 0.8 ± 0.087222.
    const [low, high] = aucInterval(0.8, 50, 50);
    expect(low).toBeCloseTo(0.712778, 5);
    expect(high).toBeCloseTo(0.887222, 5);
  });

  it("contains the estimate, stays in [0, 1] and shrinks as the sample grows", () => {
    const value = fc.double({ min: 0, max: 1, noNaN: true });
    const count = fc.integer({ min: 1, max: 10_000 });
    fc.assert(
      fc.property(value, count, count, (a, positives, negatives) => {
        const [low, high] = aucInterval(a, positives, negatives);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(a);
        expect(high).toBeGreaterThanOrEqual(a);
        const [bigLow, bigHigh] = aucInterval(a, positives * 4, negatives * 4);
        expect(bigHigh - bigLow).toBeLessThanOrEqual(high - low + 1e-15);
      }),
    );
    const width = ([low, high]: [number, number]) => high - low;
    expect(width(aucInterval(0.7, 400, 400))).toBeLessThan(width(aucInterval(0.7, 100, 100)) * 0.6);
  });

  it("knows nothing without a positive or a negative", () => {
    expect(aucInterval(0.5, 0, 10)).toEqual([0, 1]);
  });
});
