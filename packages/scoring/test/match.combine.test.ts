import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  combineFactors,
  explainPair,
  FACTOR_NAMES,
  hideMultiplier,
  type PairFactors,
  pairFactors,
  scorePair,
} from "../src/match.ts";
import { arbLocation, arbProfile, arbTag, config, profile } from "./match.support.ts";

const arbDays = fc.option(fc.double({ min: 0, max: 3650, noNaN: true }), { nil: null });

describe("scorePair properties", () => {
  it("keeps every factor and the score in [0, 1]", () => {
    fc.assert(
      fc.property(arbProfile, arbProfile, arbDays, (a, b, days) => {
        const { score, factors } = scorePair(a, b, config, days);
        for (const name of FACTOR_NAMES) {
          expect(factors[name].value).toBeGreaterThanOrEqual(0);
          expect(factors[name].value).toBeLessThanOrEqual(1);
          expect(factors[name].confidence).toBeGreaterThanOrEqual(0);
          expect(factors[name].confidence).toBeLessThanOrEqual(1);
        }
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("is symmetric without a hide", () => {
    fc.assert(
      fc.property(arbProfile, arbProfile, (a, b) => {
        expect(scorePair(a, b, config).score).toBeCloseTo(scorePair(b, a, config).score, 12);
      }),
    );
  });

  it("never scores a closer candidate lower (same meridian, moving towards the viewer)", () => {
    fc.assert(
      fc.property(
        arbProfile,
        arbProfile,
        arbLocation,
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (viewer, candidate, at, x, y) => {
          const [near, far] = x <= y ? [x, y] : [y, x];
          const v = { ...viewer, location: at };
          const moved = (offset: number) => ({
            ...candidate,
            location: { latitude: at.latitude + offset, longitude: at.longitude },
          });
          const closer = scorePair(v, moved(near), config).score;
          expect(closer).toBeGreaterThanOrEqual(scorePair(v, moved(far), config).score - 1e-12);
        },
      ),
    );
  });

  it("never scores lower with one more shared interest (both users have interests)", () => {
    fc.assert(
      fc.property(arbProfile, arbProfile, arbTag, arbTag, (a, b, shared, own) => {
        const withTag = (p: typeof a, tags: string[]) => ({
          ...p,
          interests: [...new Set([...p.interests, ...tags])].sort(),
        });
        const before = [withTag(a, [own]), withTag(b, [own])] as const;
        const after = [withTag(before[0], [shared]), withTag(before[1], [shared])] as const;
        expect(scorePair(...after, config).score).toBeGreaterThanOrEqual(
          scorePair(...before, config).score - 1e-12,
        );
      }),
    );
  });

  it("never lowers the combination when a factor's value rises", () => {
    const arbFactor = fc.record({
      value: fc.double({ min: 0, max: 1, noNaN: true }),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.record({
          quiz: arbFactor,
          interests: arbFactor,
          proximity: arbFactor,
          demographic: arbFactor,
          preferences: arbFactor,
        }),
        fc.constantFrom(...FACTOR_NAMES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (factors, name, rise) => {
          const base: PairFactors = { ...factors, distanceKm: null };
          const f = base[name];
          const raised = { ...base, [name]: { ...f, value: f.value + (1 - f.value) * rise } };
          expect(combineFactors(raised, config)).toBeGreaterThanOrEqual(
            combineFactors(base, config) - 1e-12,
          );
        },
      ),
    );
  });

  it("penalises a hide strongly at first and less as it ages", () => {
    expect(hideMultiplier(null, config)).toBe(1);
    expect(hideMultiplier(0, config)).toBeCloseTo(0.3);
    expect(hideMultiplier(90, config)).toBeCloseTo(0.65);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 3650, noNaN: true }),
        fc.double({ min: 0, max: 3650, noNaN: true }),
        (x, y) => {
          const [recent, old] = x <= y ? [x, y] : [y, x];
          expect(hideMultiplier(recent, config)).toBeLessThanOrEqual(hideMultiplier(old, config));
        },
      ),
    );
  });
});

describe("missing inputs", () => {
  const complete = {
    quiz: [1, 0.75, 0, 0.5],
    interests: ["hiking", "music"],
    preferences: ["dog"],
    attributes: ["dog"],
  };

  it("counts a factor with no evidence as the missing value, never as a perfect match", () => {
    const bare = profile({ location: null, goal: null });
    const factors = pairFactors(bare, bare, config.proximityHalfDistanceKm);
    expect(FACTOR_NAMES.filter((n) => factors[n].confidence === 0)).toEqual([
      "quiz",
      "interests",
      "proximity",
      "preferences",
    ]);
    // Demographic is the one known part (age fit 1 at confidence 0.5): 0.15·(0.5 + 0.5·0.25).
    const expected = 0.85 * 0.25 + 0.15 * (0.5 * 1 + 0.5 * 0.25);
    expect(scorePair(bare, bare, config).score).toBeCloseTo(expected, 12);
    const twins = profile(complete);
    expect(scorePair(twins, twins, config).score).toBeCloseTo(1, 12);
  });

  it("ranks a perfect quiz above a missing one and a missing one above an opposite one", () => {
    const viewer = profile({ quiz: [1, 1, 0.5, 0.5] });
    const same = scorePair(viewer, profile({ quiz: [0.9, 0.9, 0.5, 0.5] }), config).score;
    const missing = scorePair(viewer, profile(), config).score;
    const opposite = scorePair(viewer, profile({ quiz: [0, 0, 0.5, 0.5] }), config).score;
    expect(same).toBeGreaterThan(missing);
    expect(missing).toBeGreaterThan(opposite);
  });
});

describe("explainPair", () => {
  const viewer = profile({
    quiz: [1, 1, 0.5, 1],
    interests: ["art", "hiking", "music"],
    preferences: ["dog", "vegan"],
  });
  const candidate = profile({
    quiz: [1, 1, 0.5, 1],
    interests: ["hiking", "music", "yoga"],
    attributes: ["vegan"],
    location: { latitude: 37.8, longitude: -122.4194 },
  });

  it("lists the strongest contributors first, as stable codes", () => {
    const factors = pairFactors(viewer, candidate, config.proximityHalfDistanceKm);
    expect(explainPair(viewer, candidate, factors, config)).toEqual([
      "quiz_compatible:100",
      "same_goal:long_term",
      "nearby_km:3",
      "shared_interest:hiking",
      "shared_interest:music",
    ]);
    expect(explainPair(viewer, candidate, factors, { ...config, maxReasons: 10 })).toEqual([
      "quiz_compatible:100",
      "same_goal:long_term",
      "nearby_km:3",
      "shared_interest:hiking",
      "shared_interest:music",
      "preferred_attribute:vegan",
    ]);
  });

  it("leaves out weak factors and adds the hide penalty last", () => {
    const far = { ...candidate, location: { latitude: 38.5, longitude: -122.4194 } };
    const opposite = {
      ...far,
      quiz: profile({ quiz: [0, 0, 0.5, 0] }).quiz,
      relationshipGoal: null,
    };
    const factors = pairFactors(viewer, opposite, config.proximityHalfDistanceKm);
    expect(explainPair(viewer, opposite, factors, config, 0)).toEqual([
      "shared_interest:hiking",
      "shared_interest:music",
      "preferred_attribute:vegan",
      "hidden_penalty:70",
    ]);
  });
});
