import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageFit,
  ageFitInYears,
  DEFAULT_MATCH_V3_PARAMS,
  demographicInYears,
  type MatchProfile,
  matchV3Scoring,
  narrowByQuiz,
  narrowStratified,
  noQuizQuota,
  quizDistancesOf,
  scorePair,
} from "../src/match.ts";
import { arbProfile, config, type ProfileInput, profile } from "./match.support.ts";

const v3 = matchV3Scoring(config, DEFAULT_MATCH_V3_PARAMS);
const scale = DEFAULT_MATCH_V3_PARAMS.ageScaleYears;
const score = (a: MatchProfile, b: MatchProfile, c = v3) => scorePair(a, b, c).score;

/** Two users of the given ages, each with a stated range around their own age. */
const pairOfAges = (ageA: number, ageB: number, rangeA: [number, number], rangeB = rangeA) => [
  profile({ id: "a", age: ageA, minAge: rangeA[0], maxAge: rangeA[1] }),
  profile({ id: "b", age: ageB, minAge: rangeB[0], maxAge: rangeB[1] }),
];

/** A range holding `age`: `below` years under it and `above` over it (at least 18). */
const around = (age: number, below: number, above: number): [number, number] => [
  Math.max(18, age - below),
  age + above,
];

describe("ageFitInYears", () => {
  it("costs a ten-year gap the same whatever the stated range, where match-v2 hardly moves on 18-99", () => {
    const [wide30, wide40] = pairOfAges(30, 40, [18, 99]);
    const [narrow30, narrow40] = pairOfAges(30, 40, [25, 45]);
    const wide = ageFitInYears(wide30 as MatchProfile, wide40 as MatchProfile, scale);
    expect(ageFitInYears(narrow30 as MatchProfile, narrow40 as MatchProfile, scale)).toBe(wide);
    // Each side 10 years from its ideal: exp(-(100 + 100) / (4 * 25)).
    expect(wide).toBeCloseTo(Math.exp(-2), 12);
    expect(
      ageFit({ minAge: 18, maxAge: 99, preferences: [], dealbreakers: [] }, 30, 40),
    ).toBeCloseTo(1 - 0.5 * (10 / 81), 12);
  });

  it("depends on the ages in years only, not on the ranges' widths (property)", () => {
    const age = fc.integer({ min: 18, max: 80 });
    const margin = fc.integer({ min: 0, max: 40 });
    fc.assert(
      fc.property(age, age, fc.array(margin, { minLength: 8, maxLength: 8 }), (x, y, m) => {
        const [a1, b1] = pairOfAges(
          x,
          y,
          around(x, m[0] ?? 0, m[1] ?? 0),
          around(y, m[2] ?? 0, m[3] ?? 0),
        );
        const [a2, b2] = pairOfAges(
          x,
          y,
          around(x, m[4] ?? 0, m[5] ?? 0),
          around(y, m[6] ?? 0, m[7] ?? 0),
        );
        const fit = ageFitInYears(a1 as MatchProfile, b1 as MatchProfile, scale);
        expect(ageFitInYears(a2 as MatchProfile, b2 as MatchProfile, scale)).toBe(fit);
        expect(ageFitInYears(b1 as MatchProfile, a1 as MatchProfile, scale)).toBe(fit);
        expect(fit).toBeGreaterThan(0);
        expect(fit).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("falls as the gap grows, 1 at no gap (property)", () => {
    const range: [number, number] = [18, 99];
    fc.assert(
      fc.property(
        fc.integer({ min: 18, max: 70 }),
        fc.integer({ min: 0, max: 28 }),
        fc.integer({ min: 1, max: 10 }),
        (own, gap, more) => {
          const fitAt = (g: number) => {
            const [a, b] = pairOfAges(own, own + g, range);
            return ageFitInYears(a as MatchProfile, b as MatchProfile, scale);
          };
          expect(fitAt(gap + more)).toBeLessThan(fitAt(gap));
        },
      ),
    );
    const [a, b] = pairOfAges(33, 33, [18, 99]);
    expect(ageFitInYears(a as MatchProfile, b as MatchProfile, scale)).toBe(1);
  });

  it("measures each side from its own ideal: its age clamped into its range", () => {
    // a (50) wants 25-30: ideal 30, b is 2 years off; b (28) wants 18-99: ideal 28, a is 22 off.
    const a = profile({ age: 50, minAge: 25, maxAge: 30 });
    const b = profile({ age: 28 });
    expect(ageFitInYears(a, b, scale)).toBeCloseTo(Math.exp(-(4 + 484) / (4 * 25)), 12);
  });
});

describe("demographicInYears", () => {
  const params = {
    ageScaleYears: 5,
    goalShare: 0.2,
    goalCompatibility: { unsure: 0.5, casualShortTerm: 0.5, longTermShortTerm: 0.25 },
  };

  it("mixes in goal compatibility by its share when both goals are known", () => {
    const a = profile({ age: 30, goal: "LONG_TERM" });
    const b = profile({ age: 35, goal: "SHORT_TERM" });
    const age = ageFitInYears(a, b, 5);
    expect(demographicInYears(a, b, params)).toEqual({
      value: 0.8 * age + 0.2 * 0.25,
      confidence: 1,
    });
  });

  it("leaves the goal's share unknown when either goal is missing", () => {
    const a = profile({ age: 30, goal: null });
    const b = profile({ age: 35, goal: "LONG_TERM" });
    expect(demographicInYears(a, b, params)).toEqual({
      value: ageFitInYears(a, b, 5),
      confidence: 0.8,
    });
  });
});

/** The same candidate with one input taken away. */
const without: Record<string, (p: MatchProfile) => MatchProfile> = {
  quiz: (p) => ({ ...p, quiz: null }),
  interests: (p) => ({ ...p, interests: [] }),
  goal: (p) => ({ ...p, relationshipGoal: null }),
  location: (p) => ({ ...p, location: null }),
};

describe("match-v3 missing inputs", () => {
  it("never score above a real value of the same input, for any pair (property)", () => {
    fc.assert(
      fc.property(
        arbProfile,
        arbProfile,
        fc.constantFrom(...Object.keys(without)),
        (v, c, input) => {
          const drop = without[input] as (p: MatchProfile) => MatchProfile;
          expect(score(v, drop(c))).toBeLessThanOrEqual(score(v, c) + 1e-12);
        },
      ),
    );
  });

  it("scored above a real interest overlap in match-v2 (missingFactorValue 0.25)", () => {
    const viewer = profile({ interests: ["art", "dining", "hiking", "movies", "music"] });
    const oneShared = profile({ id: "c", interests: ["art", "reading", "sports", "yoga", "zen"] });
    expect(score(viewer, without.interests?.(oneShared) as MatchProfile, config)).toBeGreaterThan(
      score(viewer, oneShared, config),
    );
    expect(score(viewer, without.interests?.(oneShared) as MatchProfile)).toBeLessThan(
      score(viewer, oneShared),
    );
  });

  it("take a missing input's weight away from the score rather than handing it to the others", () => {
    const bare = profile({ goal: null, location: null });
    const w = DEFAULT_MATCH_V3_PARAMS.weights;
    const total = w.quiz + w.interests + w.proximity + w.demographic + w.preferences;
    // Only the age part of the demographic factor is known: (1 - goalShare) of it, fit 1.
    expect(score(bare, bare)).toBeCloseTo(
      (w.demographic * (1 - DEFAULT_MATCH_V3_PARAMS.goalShare)) / total,
      12,
    );
  });
});

const QUIZ_LENGTH = 6;
const at = (km: number) => ({ latitude: 37.7749 + km / 111.195, longitude: -122.4194 });

/** Pools of 2-60 candidates, some without a quiz, some with one of another length, some unplaced. */
const arbPool = fc
  .array(
    fc.record({
      kind: fc.constantFrom("quiz", "quiz", "none", "short"),
      answers: fc.array(fc.constantFrom(0, 0.25, 0.75, 1), {
        minLength: QUIZ_LENGTH,
        maxLength: QUIZ_LENGTH,
      }),
      km: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }),
    }),
    { minLength: 2, maxLength: 60 },
  )
  .map((specs) =>
    specs.map((s, i): MatchProfile => {
      const input: ProfileInput = {
        id: `c${String(i).padStart(2, "0")}`,
        location: s.km === null ? null : at(s.km),
      };
      if (s.kind === "quiz") input.quiz = s.answers;
      if (s.kind === "short") input.quiz = s.answers.slice(0, 2);
      return profile(input);
    }),
  );

const viewer = profile({ id: "v", quiz: [1, 0, 1, 0.25, 0.75, 0], location: at(0) });
const noQuizOf = (viewerProfile: MatchProfile, pool: readonly MatchProfile[]) =>
  new Set(
    pool.filter((_, i) => Number.isNaN(quizDistancesOf(viewerProfile, pool)[i])).map((c) => c.id),
  );

describe("narrowStratified", () => {
  it("rounds the no-quiz share of the cap half up, in integers", () => {
    expect(noQuizQuota(10, 28, 100)).toBe(3); // 2.8
    expect(noQuizQuota(10, 25, 100)).toBe(3); // 2.5
    expect(noQuizQuota(10, 24, 100)).toBe(2);
    expect(noQuizQuota(1000, 3_080, 11_000)).toBe(280);
    expect(noQuizQuota(10, 0, 100)).toBe(0);
  });

  it("keeps the candidates without a comparable quiz in their share of the pool (property)", () => {
    fc.assert(
      fc.property(arbPool, fc.integer({ min: 1, max: 59 }), (pool, cap) => {
        fc.pre(cap < pool.length);
        const narrowed = narrowStratified(viewer, pool, quizDistancesOf(viewer, pool), cap);
        expect(narrowed).toHaveLength(cap);
        expect(new Set(narrowed.map((c) => c.id)).size).toBe(cap);
        const noQuiz = noQuizOf(viewer, pool);
        const kept = narrowed.filter((c) => noQuiz.has(c.id)).length;
        expect(Math.abs(kept - (cap * noQuiz.size) / pool.length)).toBeLessThanOrEqual(0.5);
        // match-v2 fills the cap with quizzes first whenever there are enough of them.
        if (pool.length - noQuiz.size >= cap) {
          const v2 = narrowByQuiz(viewer, pool, cap);
          expect(v2.filter((c) => noQuiz.has(c.id))).toHaveLength(0);
        }
      }),
    );
  });

  it("keeps the nearest of each stratum, whatever the pool's order (property)", () => {
    fc.assert(
      fc.property(
        arbPool,
        fc.integer({ min: 1, max: 59 }),
        fc.infiniteStream(fc.double()),
        (pool, cap, rnd) => {
          fc.pre(cap < pool.length);
          const distances = quizDistancesOf(viewer, pool);
          const narrowed = narrowStratified(viewer, pool, distances, cap);
          const shuffled = [...pool]
            .map((c) => ({ c, k: rnd.next().value }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.c);
          expect(
            narrowStratified(viewer, shuffled, quizDistancesOf(viewer, shuffled), cap),
          ).toEqual(narrowed);
          const kept = new Set(narrowed.map((c) => c.id));
          const distanceOf = new Map(pool.map((c, i) => [c.id, distances[i] as number]));
          const quizKept = narrowed.filter((c) => !Number.isNaN(distanceOf.get(c.id)));
          const worstKept = Math.max(...quizKept.map((c) => distanceOf.get(c.id) as number));
          for (const c of pool) {
            const d = distanceOf.get(c.id) as number;
            if (!kept.has(c.id) && !Number.isNaN(d)) expect(d).toBeGreaterThanOrEqual(worstKept);
          }
        },
      ),
    );
  });

  it("narrows a viewer without a quiz as match-v2 does, and leaves a pool within the cap alone", () => {
    fc.assert(
      fc.property(arbPool, fc.integer({ min: 1, max: 59 }), (pool, cap) => {
        const noQuiz = profile({ id: "v", location: at(0) });
        const narrowed = narrowStratified(noQuiz, pool, quizDistancesOf(noQuiz, pool), cap);
        expect(narrowed).toEqual(narrowByQuiz(noQuiz, pool, cap));
      }),
    );
    const pool = [profile({ id: "b" }), profile({ id: "a", quiz: [1, 0, 1, 0, 1, 0] })];
    expect(narrowStratified(viewer, pool, quizDistancesOf(viewer, pool), 2)).toEqual(pool);
  });

  it("orders the kept candidates without a quiz by km, unknown last", () => {
    const pool = [
      profile({ id: "q1", quiz: [1, 0, 1, 0.25, 0.75, 0] }),
      profile({ id: "q2", quiz: [0, 1, 0, 0.75, 0.25, 1] }),
      profile({ id: "n-far", location: at(40) }),
      profile({ id: "n-nowhere", location: null }),
      profile({ id: "n-near", location: at(5) }),
      profile({ id: "q3", quiz: [1, 0, 1, 0.25, 0.75, 0.25] }),
    ];
    // Half of six have no quiz: two places of four.
    expect(
      narrowStratified(viewer, pool, quizDistancesOf(viewer, pool), 4).map((c) => c.id),
    ).toEqual(["q1", "q3", "n-near", "n-far"]);
  });
});
