import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizedEntropy } from "../src/common.ts";

describe("normalizedEntropy", () => {
  it("is 0 with all mass on one item, or nothing at all", () => {
    expect(normalizedEntropy([])).toBe(0);
    expect(normalizedEntropy([5])).toBe(0);
    expect(normalizedEntropy([5, 0, 0])).toBe(0);
  });

  it("is 1 for an even spread, whatever the number of items and the scale", () => {
    expect(normalizedEntropy([1, 1])).toBe(1);
    expect(normalizedEntropy([0.2, 0.2, 0.2, 0.2, 0.2])).toBe(1);
    expect(normalizedEntropy([7, 7, 7])).toBe(1);
  });

  it("matches H / ln k for an uneven spread", () => {
    const p = [0.75, 0.25];
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(normalizedEntropy([3, 1])).toBeCloseTo(h / Math.log(2), 12);
    expect(normalizedEntropy(p)).toBeCloseTo(normalizedEntropy([3, 1]), 12);
  });

  it("ignores zero and negative weights", () => {
    expect(normalizedEntropy([2, 2, 0, -1])).toBe(1);
  });

  it("stays a number when a weight is too small to matter", () => {
    expect(normalizedEntropy([2, 5e-324])).toBe(0);
  });

  it("stays in [0, 1], is scale-free and lower when one item dominates more", () => {
    const weights = fc.array(fc.double({ min: 0.001, max: 100, noNaN: true }), {
      minLength: 2,
      maxLength: 20,
    });
    fc.assert(
      fc.property(weights, fc.double({ min: 0.1, max: 10, noNaN: true }), (ws, scale) => {
        const e = normalizedEntropy(ws);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
        expect(normalizedEntropy(ws.map((w) => w * scale))).toBeCloseTo(e, 9);
        const boosted = [...ws];
        const top = ws.indexOf(Math.max(...ws));
        boosted[top] = (boosted[top] ?? 0) * 2;
        expect(normalizedEntropy(boosted)).toBeLessThanOrEqual(e + 1e-12);
      }),
    );
  });
});
