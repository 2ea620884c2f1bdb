import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dailyDecay } from "../src/common.ts";

describe("dailyDecay", () => {
  it("is 1 at age 0 and multiplies by the factor each day", () => {
    expect(dailyDecay(0.95, 0)).toBe(1);
    expect(dailyDecay(0.95, 1)).toBeCloseTo(0.95, 12);
    expect(dailyDecay(0.95, 10)).toBeCloseTo(0.598_736_939, 8);
    expect(dailyDecay(0.95, 0.5)).toBeCloseTo(Math.sqrt(0.95), 12);
  });

  it("halves a weight after ln 0.5 / ln factor days", () => {
    expect(dailyDecay(0.95, Math.log(0.5) / Math.log(0.95))).toBeCloseTo(0.5, 12);
    expect(dailyDecay(0.99, Math.log(0.5) / Math.log(0.99))).toBeCloseTo(0.5, 12);
  });

  it("treats a time after now as age 0", () => {
    expect(dailyDecay(0.95, -3)).toBe(1);
  });

  it("never increases with age and stays in (0, 1]", () => {
    const age = fc.double({ min: 0, max: 365, noNaN: true });
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1, noNaN: true }), age, age, (factor, a, b) => {
        const [younger, older] = a <= b ? [a, b] : [b, a];
        expect(dailyDecay(factor, older)).toBeLessThanOrEqual(dailyDecay(factor, younger));
        expect(dailyDecay(factor, older)).toBeGreaterThan(0);
        expect(dailyDecay(factor, younger)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
