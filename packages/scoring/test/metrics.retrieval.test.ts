import { describe, expect, it } from "vitest";
import { precisionAtK, recallAtK } from "../src/metrics.ts";

describe("precisionAtK", () => {
  it("is the share of hits among the first k", () => {
    // First 3 of [hit, miss, hit, hit, miss]: 2 hits / 3.
    expect(precisionAtK([true, false, true, true, false], 3)).toBeCloseTo(2 / 3, 15);
    expect(precisionAtK([true, false, true, true, false], 1)).toBe(1);
  });

  it("judges a list shorter than k on what it shows", () => {
    // 3 hits among 5 shown, although k = 10.
    expect(precisionAtK([true, false, true, true, false], 10)).toBe(0.6);
  });

  it("is null for an empty list and refuses a cutoff below 1", () => {
    expect(precisionAtK([], 5)).toBeNull();
    expect(() => precisionAtK([true], 0)).toThrow(RangeError);
    expect(() => precisionAtK([true], 1.5)).toThrow(RangeError);
  });
});

describe("recallAtK", () => {
  const relevant = new Set(["a", "c", "x"]);

  it("is the share of relevant ids found among the first k, a repeated id found once", () => {
    // First 3 = a, b, a → {a} found → 1/3 (a counted once).
    expect(recallAtK(["a", "b", "a", "c", "d"], relevant, 3)).toBeCloseTo(1 / 3, 15);
    // First 4 add c → {a, c} → 2/3; x is never ranked, so recall never reaches 1.
    expect(recallAtK(["a", "b", "a", "c", "d"], relevant, 4)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(["a", "b", "a", "c", "d"], relevant, 100)).toBeCloseTo(2 / 3, 15);
  });

  it("is 0 when nothing relevant is ranked and null when nothing is relevant", () => {
    expect(recallAtK(["b", "d"], relevant, 2)).toBe(0);
    expect(recallAtK([], relevant, 2)).toBe(0);
    expect(recallAtK(["a"], new Set(), 2)).toBeNull();
  });
});
