import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  contentTypeShares,
  engagementVelocity,
  explorationFactor,
  type PostTypeName,
} from "../src/affinity.ts";

describe("contentTypeShares", () => {
  it("gives each post type its share of the weighted engagement", () => {
    expect(
      contentTypeShares([
        { key: "PHOTO", weight: 3 },
        { key: "VIDEO", weight: 1 },
      ]),
    ).toEqual({ photos: 0.75, text: 0, polls: 0, videos: 0.25 });
  });

  it("splits evenly when the user engaged with no post", () => {
    expect(contentTypeShares([])).toEqual({ photos: 0.25, text: 0.25, polls: 0.25, videos: 0.25 });
  });

  it("always sums to 1, each share in [0, 1]", () => {
    const type = fc.constantFrom<PostTypeName>("PHOTO", "TEXT", "POLL", "VIDEO");
    const signal = fc.record({
      key: type,
      weight: fc.double({ min: 0.0001, max: 500, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(signal, { maxLength: 8 }), (signals) => {
        const shares = Object.values(contentTypeShares(signals));
        for (const s of shares) {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        }
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }),
    );
  });
});

describe("engagementVelocity", () => {
  it("is actions per day over the lookback window", () => {
    expect(engagementVelocity(45, 400, 90)).toBe(0.5);
  });

  it("measures a younger account over its age, never under one day", () => {
    expect(engagementVelocity(30, 10, 90)).toBe(3);
    expect(engagementVelocity(12, 0.25, 90)).toBe(12);
  });
});

describe("explorationFactor", () => {
  it("is 0 for one topic and one creator", () => {
    expect(explorationFactor([5], [7])).toBe(0);
  });

  it("is 1 when topics and creators are evenly spread", () => {
    expect(explorationFactor([2, 2, 2], [1, 1])).toBe(1);
  });

  it("averages topics and creators", () => {
    expect(explorationFactor([4], [3, 3])).toBe(0.5);
  });

  it("judges a user without topics on creators only, and is 0 with nothing", () => {
    expect(explorationFactor([], [3, 3])).toBe(1);
    expect(explorationFactor([], [])).toBe(0);
  });
});
