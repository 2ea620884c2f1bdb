import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { averageRanks, spearman } from "../src/metrics.ts";

const values = fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 2, maxLength: 40 });
const pairedSample = fc
  .array(
    fc.tuple(fc.integer({ min: -10, max: 10 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    {
      minLength: 2,
      maxLength: 40,
    },
  )
  .map((pairs) => ({ x: pairs.map(([a]) => a), y: pairs.map(([, b]) => b) }));

describe("averageRanks", () => {
  it("ranks from 1 and gives ties the average of the ranks they span", () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(Array.from(averageRanks([4, 4, 4]))).toEqual([2, 2, 2]);
    expect(Array.from(averageRanks([]))).toEqual([]);
  });

  it("sums to n(n+1)/2 whatever the ties", () => {
    fc.assert(
      fc.property(values, (xs) => {
        const sum = averageRanks(xs).reduce((total, r) => total + r, 0);
        expect(sum).toBe((xs.length * (xs.length + 1)) / 2);
      }),
    );
  });

  it("refuses NaN, which has no rank", () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(RangeError);
  });
});

describe("spearman", () => {
  it("correlates average ranks when there are ties", () => {
    // x = [1, 2, 2, 3] ranks [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks [1, 3, 2, 4]; both mean 2.5.
    // Deviations [-1.5, 0, 0, 1.5] and [-1.5, 0.5, -0.5, 1.5]: covariance 4.5, Σdx² 4.5, Σdy² 5
    // → 4.5 / √22.5 = 3 / √10 = 0.948683.
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(3 / Math.sqrt(10), 12);
  });

  it("is null below two pairs or when a side is constant", () => {
    expect(spearman([1], [2])).toBeNull();
    expect(spearman([], [])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
  });

  it("refuses sides of different lengths", () => {
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });

  it("is symmetric and stays in [-1, 1]", () => {
    fc.assert(
      fc.property(pairedSample, ({ x, y }) => {
        const r = spearman(x, y);
        expect(spearman(y, x)).toBe(r);
        if (r !== null) {
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("is 1 for a monotone increasing relation and -1 for a decreasing one", () => {
    const distinct = fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), {
      minLength: 2,
      maxLength: 40,
    });
    fc.assert(
      fc.property(distinct, (xs) => {
        expect(
          spearman(
            xs,
            xs.map((v) => v ** 3 + 5),
          ),
        ).toBe(1);
        expect(
          spearman(
            xs,
            xs.map((v) => -Math.exp(v / 100)),
          ),
        ).toBe(-1);
      }),
    );
  });
});
