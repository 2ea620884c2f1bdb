import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageDecayFactor,
  decayMultiplier,
  peakTime,
  popularity,
  trendingThreshold,
  velocityPerHour,
} from "../src/trending.ts";

const weights = { like: 1, comment: 2, share: 3, profileView: 0.5, hide: 3 };
const none = { likes: 0, comments: 0, shares: 0, profileViews: 0, hides: 0 };
const now = new Date("2026-03-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("ageDecayFactor", () => {
  it("is 1 for a new post and halves every half-life", () => {
    expect(ageDecayFactor(0, 24)).toBe(1);
    expect(ageDecayFactor(24, 24)).toBeCloseTo(0.5, 12);
    expect(ageDecayFactor(48, 24)).toBeCloseTo(0.25, 12);
    expect(ageDecayFactor(6, 12)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("treats a post dated after now as new", () => {
    expect(ageDecayFactor(-3, 24)).toBe(1);
  });

  it("never increases with age", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (a, b) => {
          const [younger, older] = a <= b ? [a, b] : [b, a];
          expect(ageDecayFactor(older, 24)).toBeLessThanOrEqual(ageDecayFactor(younger, 24));
        },
      ),
    );
  });
});

describe("popularity", () => {
  it("weighs likes 1, comments 2, shares 3, profile views 0.5, then decays the whole sum", () => {
    const counts = { likes: 4, comments: 3, shares: 2, profileViews: 2, hides: 0 };
    expect(popularity(counts, weights, 1)).toBe(4 + 6 + 6 + 1);
    expect(popularity(counts, weights, 0.5)).toBe(8.5);
  });

  it("subtracts hides and never goes below 0", () => {
    expect(popularity({ ...none, likes: 10, hides: 2 }, weights, 1)).toBe(4);
    expect(popularity({ ...none, likes: 2, hides: 5 }, weights, 1)).toBe(0);
  });

  it("does not fall when an action is added, nor rise when a hide is", () => {
    const count = fc.nat({ max: 1000 });
    const counts = fc.record({
      likes: count,
      comments: count,
      shares: count,
      profileViews: count,
      hides: count,
    });
    fc.assert(
      fc.property(counts, fc.double({ min: 0, max: 1, noNaN: true }), (c, decay) => {
        const base = popularity(c, weights, decay);
        expect(popularity({ ...c, shares: c.shares + 1 }, weights, decay)).toBeGreaterThanOrEqual(
          base,
        );
        expect(popularity({ ...c, hides: c.hides + 1 }, weights, decay)).toBeLessThanOrEqual(base);
        expect(base).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("velocityPerHour", () => {
  it("divides the window's actions by the window for a post older than the window", () => {
    expect(velocityPerHour(12, 30, 1, 0.25)).toBe(12);
    expect(velocityPerHour(12, 30, 2, 0.25)).toBe(6);
  });

  it("measures a post younger than the window over its life", () => {
    expect(velocityPerHour(10, 0.5, 1, 0.25)).toBe(20);
  });

  it("never measures over less than the floor", () => {
    expect(velocityPerHour(5, 1 / 60, 1, 0.25)).toBe(20);
  });

  it("caps the floor at the window", () => {
    expect(velocityPerHour(5, 0, 0.1, 0.25)).toBeCloseTo(50, 9);
  });
});

describe("trendingThreshold", () => {
  it("is the mean velocity times the multiplier", () => {
    expect(trendingThreshold([1, 2, 3, 6], 2)).toBe(6);
  });

  it("is 0 without candidates", () => {
    expect(trendingThreshold([], 2)).toBe(0);
  });

  it("is never exceeded by every candidate when the multiplier is at least 1", () => {
    const velocities = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 });
    fc.assert(
      fc.property(velocities, fc.double({ min: 1, max: 10, noNaN: true }), (vs, m) => {
        const line = trendingThreshold(vs, m);
        expect(vs.every((v) => v > line)).toBe(false);
      }),
    );
  });
});

describe("peakTime", () => {
  const earlier = hoursAgo(2);

  it("starts at now when a post starts trending", () => {
    expect(peakTime(true, null, now)).toEqual(now);
    expect(peakTime(true, { wasTrending: false, peakTime: null }, now)).toEqual(now);
  });

  it("is carried over while the post stays trending", () => {
    expect(peakTime(true, { wasTrending: true, peakTime: earlier }, now)).toEqual(earlier);
  });

  it("is reset when the post stops trending", () => {
    expect(peakTime(false, { wasTrending: true, peakTime: earlier }, now)).toBeNull();
  });

  it("is not carried back from a later clock", () => {
    const later = new Date(now.getTime() + 60_000);
    expect(peakTime(true, { wasTrending: true, peakTime: later }, now)).toEqual(now);
  });
});

describe("decayMultiplier", () => {
  it("fades at the base half-life while the post keeps its pace", () => {
    // 10 actions over 10 h, 1 in the last hour: velocity equals the lifetime rate.
    expect(decayMultiplier(1, 10, 10, 24, 0.25)).toBeCloseTo(0.5 ** (1 / 24), 12);
    expect(decayMultiplier(5, 10, 10, 24, 0.25)).toBeCloseTo(0.5 ** (1 / 24), 12);
  });

  it("fades twice as fast once the post has stalled", () => {
    expect(decayMultiplier(0, 10, 10, 24, 0.25)).toBeCloseTo(0.5 ** (1 / 12), 12);
  });

  it("stays between the stalled and the base fade", () => {
    const n = fc.double({ min: 0, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(n, fc.nat({ max: 1e4 }), n, (velocity, count, age) => {
        const m = decayMultiplier(velocity, count, age, 24, 0.25);
        expect(m).toBeGreaterThanOrEqual(0.5 ** (1 / 12) - 1e-12);
        expect(m).toBeLessThanOrEqual(0.5 ** (1 / 24) + 1e-12);
      }),
    );
  });
});
