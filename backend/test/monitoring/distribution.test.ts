import { describe, expect, it } from "vitest";
import { driftScore, quantilesFrom } from "../../src/monitoring/distribution.ts";

describe("driftScore", () => {
  const previous = quantilesFrom([0.1, 0.3, 0.5, 0.7, 0.9], 0.5);

  it("is zero for the same distribution and scales with the largest shift", () => {
    expect(driftScore(previous, previous)).toBe(0);
    const shifted = quantilesFrom([0.1, 0.3, 0.7, 0.7, 0.9], 0.55);
    expect(driftScore(previous, shifted)).toBeCloseTo(0.2 / 0.8);
  });

  it("does not depend on the score's scale", () => {
    const scaled = (q: typeof previous, k: number) =>
      quantilesFrom(
        [q.p05, q.p25, q.p50, q.p75, q.p95].map((v) => v * k),
        q.mean * k,
      );
    const moved = quantilesFrom([0.2, 0.4, 0.6, 0.8, 1], 0.6);
    expect(driftScore(scaled(previous, 1000), scaled(moved, 1000))).toBeCloseTo(
      driftScore(previous, moved),
    );
  });

  it("counts any change of a distribution without spread as infinite drift", () => {
    const flat = quantilesFrom([1, 1, 1, 1, 1], 1);
    expect(driftScore(flat, flat)).toBe(0);
    expect(driftScore(flat, quantilesFrom([1, 1, 1, 1, 2], 1.1))).toBe(Number.POSITIVE_INFINITY);
  });
});
