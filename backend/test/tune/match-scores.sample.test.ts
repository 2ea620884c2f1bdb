import { describe, expect, it } from "vitest";
import { drawOf, PairSample, type SampledPair } from "../../src/tune/match-scores/pair-sample.ts";

const pair = (i: number, positive = false): SampledPair => ({
  factors: {} as SampledPair["factors"],
  positive,
  score: i,
  draw: drawOf(`pair ${i}`),
});

describe("PairSample", () => {
  it("keeps every positive and the negatives drawn below a rate halved to fit the cap", () => {
    const sample = new PairSample(100);
    for (let i = 0; i < 1000; i++) sample.add(pair(i, i % 100 === 0));
    expect(sample.positives).toHaveLength(10);
    expect(sample.negatives.length).toBeLessThanOrEqual(100);
    expect(sample.rate).toBeLessThan(1);
    const below = Array.from({ length: 1000 }, (_, i) => i).filter(
      (i) => i % 100 !== 0 && pair(i).draw < sample.rate,
    );
    expect(sample.negatives.map((p) => p.score)).toEqual(below);
    // A halving later would have fitted too: the rate is the largest that fits.
    expect(below.length).toBeGreaterThan(0);
    expect(
      Array.from({ length: 1000 }, (_, i) => i).filter(
        (i) => i % 100 !== 0 && pair(i).draw < 2 * sample.rate,
      ).length,
    ).toBeGreaterThan(100);
  });

  it("keeps the same pairs whatever order they come in", () => {
    const forward = new PairSample(50);
    const backward = new PairSample(50);
    for (let i = 0; i < 500; i++) forward.add(pair(i));
    for (let i = 499; i >= 0; i--) backward.add(pair(i));
    expect(backward.rate).toBe(forward.rate);
    const ids = (s: PairSample) => s.negatives.map((p) => p.score).sort((a, b) => a - b);
    expect(ids(backward)).toEqual(ids(forward));
  });

  it("spreads draws over [0, 1)", () => {
    const draws = Array.from({ length: 4000 }, (_, i) => drawOf(`2026-06-01\nv${i}\nc${i * 7}`));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const low = draws.filter((d) => d < 0.25).length / draws.length;
    expect(low).toBeGreaterThan(0.22);
    expect(low).toBeLessThan(0.28);
  });
});
