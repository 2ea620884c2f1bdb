import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { studentT975, Z_95 } from "../src/metrics/intervals.ts";
import { meanInterval, wilsonInterval } from "../src/metrics.ts";

describe("studentT975", () => {
  it("matches tabulated quantiles, from the table and from the expansion beyond 30", () => {
    expect(studentT975(1)).toBeCloseTo(12.7062047, 6);
    expect(studentT975(4)).toBeCloseTo(2.7764451, 6);
    expect(studentT975(30)).toBeCloseTo(2.0422725, 6);
    // Reference values t(0.975, df) for df = 31, 60, 120.
    expect(studentT975(31)).toBeCloseTo(2.0395134, 6);
    expect(studentT975(60)).toBeCloseTo(2.0002978, 6);
    expect(studentT975(120)).toBeCloseTo(1.9799304, 6);
  });

  it("falls towards the normal quantile as df grows", () => {
    for (let df = 1; df < 200; df++) expect(studentT975(df + 1)).toBeLessThan(studentT975(df));
    expect(studentT975(1_000_000)).toBeCloseTo(Z_95, 5);
  });
});

describe("meanInterval", () => {
  it("is mean ± t(n−1)·s/√n", () => {
    // [1..5]: mean 3, s² = 10/4 = 2.5, s/√5 = 0.707107, t(4) = 2.776445 → ±1.963243.
    const { mean, ci } = meanInterval([1, 2, 3, 4, 5]);
    expect(mean).toBe(3);
    expect(ci?.[0]).toBeCloseTo(1.036757, 5);
    expect(ci?.[1]).toBeCloseTo(4.963243, 5);
  });

  it("clips the interval to the values' possible range", () => {
    // [0.2, 0.9]: mean 0.55, s/√2 = 0.35, t(1) = 12.706205 → ±4.447172, past both ends of [−1, 1].
    expect(meanInterval([0.2, 0.9], [-1, 1]).ci).toEqual([-1, 1]);
    expect(meanInterval([0.2, 0.9]).ci?.[0]).toBeCloseTo(0.55 - 4.447172, 5);
    expect(meanInterval([0.4, 0.5, 0.6], [0, 1]).ci).toEqual(meanInterval([0.4, 0.5, 0.6]).ci);
  });

  it("has no mean without values and no interval below two", () => {
    expect(meanInterval([])).toEqual({ mean: null, ci: null });
    expect(meanInterval([4])).toEqual({ mean: 4, ci: null });
    expect(meanInterval([2, 2])).toEqual({ mean: 2, ci: [2, 2] });
  });

  it("contains the mean and shrinks when the same values are seen more often", () => {
    const values = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), {
      minLength: 2,
      maxLength: 30,
    });
    fc.assert(
      fc.property(values, (xs) => {
        const { mean, ci } = meanInterval(xs);
        const [low, high] = ci as [number, number];
        expect(low).toBeLessThanOrEqual(mean as number);
        expect(high).toBeGreaterThanOrEqual(mean as number);
        const doubled = meanInterval([...xs, ...xs]).ci as [number, number];
        expect(doubled[1] - doubled[0]).toBeLessThanOrEqual(high - low + 1e-9);
      }),
    );
  });
});

describe("wilsonInterval", () => {
  it("matches the Wilson score interval", () => {
    // 5 of 10: p = ½, z² = 3.841459; centre ½; half = 1.96·√(0.025 + 0.0096037) / 1.384146 = 0.263407.
    const [low, high] = wilsonInterval(5, 10);
    expect(low).toBeCloseTo(0.236593, 5);
    expect(high).toBeCloseTo(0.763407, 5);
  });

  it("keeps a width at 0 or n successes and knows nothing at n = 0", () => {
    // 0 of 10: upper bound z²/(n + z²) = 3.841459 / 13.841459 = 0.277533.
    const [low, high] = wilsonInterval(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.277533, 5);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });

  it("contains the proportion, stays in [0, 1] and shrinks with n", () => {
    const sample = fc
      .integer({ min: 1, max: 5000 })
      .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(sample, ([successes, n]) => {
        const [low, high] = wilsonInterval(successes, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(successes / n);
        expect(high).toBeGreaterThanOrEqual(successes / n);
        const [bigLow, bigHigh] = wilsonInterval(successes * 4, n * 4);
        expect(bigHigh - bigLow).toBeLessThan(high - low);
      }),
    );
  });
});
