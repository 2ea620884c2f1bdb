import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  creatorAffinity,
  freshnessBoost,
  seenPenalty,
  topicAffinity,
  trendingFactor,
  typeAffinity,
  unitScore,
} from "../src/feed.ts";
import { affinity } from "./feed.support.ts";

const hours = fc.double({ min: 0, max: 10_000, noNaN: true });
const unit = fc.double({ min: 0, max: 1, noNaN: true });

describe("freshnessBoost", () => {
  it("is the seed's 1 / ln(2 + hours)", () => {
    expect(freshnessBoost(0)).toBeCloseTo(1 / Math.LN2, 12);
    expect(freshnessBoost(1)).toBeCloseTo(1 / Math.log(3), 12);
    expect(freshnessBoost(24)).toBeCloseTo(1 / Math.log(26), 12);
  });

  it("treats a post dated after now as new", () => {
    expect(freshnessBoost(-5)).toBe(freshnessBoost(0));
  });

  it("never increases with age and stays positive", () => {
    fc.assert(
      fc.property(hours, hours, (a, b) => {
        const [younger, older] = a <= b ? [a, b] : [b, a];
        expect(freshnessBoost(older)).toBeLessThanOrEqual(freshnessBoost(younger));
        expect(freshnessBoost(older)).toBeGreaterThan(0);
      }),
    );
  });
});

describe("seenPenalty", () => {
  it("is 1 for a seen post and 0 otherwise", () => {
    expect(seenPenalty(true)).toBe(1);
    expect(seenPenalty(false)).toBe(0);
  });
});

describe("creatorAffinity", () => {
  it("is the author's weight in topCreators, 0 when absent or without a profile", () => {
    const viewer = affinity({ alice: 0.7, bob: 1 });
    expect(creatorAffinity(viewer, "alice")).toBe(0.7);
    expect(creatorAffinity(viewer, "carol")).toBe(0);
    expect(creatorAffinity(null, "alice")).toBe(0);
  });

  it("clamps weights outside [0, 1]", () => {
    expect(creatorAffinity(affinity({ a: 3, b: -1 }), "a")).toBe(1);
    expect(creatorAffinity(affinity({ a: 3, b: -1 }), "b")).toBe(0);
  });
});

describe("topicAffinity", () => {
  const viewer = affinity({}, { hiking: 0.5, jazz: 0.4, cats: 1 });

  it("is one matching topic's weight, combined as noisy-OR for several", () => {
    expect(topicAffinity(viewer, ["hiking", "cooking"])).toBeCloseTo(0.5, 12);
    expect(topicAffinity(viewer, ["hiking", "jazz"])).toBeCloseTo(1 - 0.5 * 0.6, 12);
    expect(topicAffinity(viewer, ["cats", "jazz"])).toBe(1);
  });

  it("counts a repeated topic once and is 0 without a match or a profile", () => {
    expect(topicAffinity(viewer, ["hiking", "hiking"])).toBeCloseTo(0.5, 12);
    expect(topicAffinity(viewer, ["cooking"])).toBe(0);
    expect(topicAffinity(null, ["hiking"])).toBe(0);
  });

  it("stays in [0, 1] and never falls when a topic is added", () => {
    const tags = fc.constantFrom("a", "b", "c", "d", "e");
    fc.assert(
      fc.property(fc.dictionary(tags, unit), fc.array(tags), tags, (weights, topics, extra) => {
        const profile = affinity({}, weights);
        const before = topicAffinity(profile, topics);
        const after = topicAffinity(profile, [...topics, extra]);
        expect(before).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(1);
        expect(after).toBeGreaterThanOrEqual(before - 1e-12);
      }),
    );
  });
});

describe("typeAffinity", () => {
  it("is the type's share over the favourite type's share", () => {
    const viewer = affinity({}, {}, { PHOTO: 0.6, TEXT: 0.3, POLL: 0.1, VIDEO: 0 });
    expect(typeAffinity(viewer, "PHOTO")).toBe(1);
    expect(typeAffinity(viewer, "TEXT")).toBeCloseTo(0.5, 12);
    expect(typeAffinity(viewer, "VIDEO")).toBe(0);
  });

  it("is 1 for every type of an even split, 0 without a profile or any share", () => {
    expect(typeAffinity(affinity(), "POLL")).toBe(1);
    expect(typeAffinity(null, "POLL")).toBe(0);
    const none = affinity({}, {}, { PHOTO: 0, TEXT: 0, POLL: 0, VIDEO: 0 });
    expect(typeAffinity(none, "TEXT")).toBe(0);
  });
});

describe("trendingFactor", () => {
  it("is half popularity saturation, half the trending verdict", () => {
    expect(trendingFactor(null, false, 20)).toBe(0);
    expect(trendingFactor(0, false, 20)).toBe(0);
    expect(trendingFactor(20, false, 20)).toBeCloseTo(0.25, 12);
    expect(trendingFactor(20, true, 20)).toBeCloseTo(0.75, 12);
    expect(trendingFactor(-4, false, 20)).toBe(0);
  });

  it("stays in [0, 1] and never falls as popularity grows", () => {
    const popularity = fc.double({ min: 0, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(popularity, popularity, fc.boolean(), (a, b, trending) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(trendingFactor(high, trending, 20)).toBeGreaterThanOrEqual(
          trendingFactor(low, trending, 20),
        );
        expect(trendingFactor(high, trending, 20)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("unitScore", () => {
  it("keeps [0, 1], clamps the rest, counts missing and non-finite as 0", () => {
    expect(unitScore(0.42)).toBe(0.42);
    expect(unitScore(1.5)).toBe(1);
    expect(unitScore(-0.5)).toBe(0);
    expect(unitScore(null)).toBe(0);
    expect(unitScore(Number.NaN)).toBe(0);
  });
});
