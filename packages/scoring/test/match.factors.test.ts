import { describe, expect, it } from "vitest";
import {
  ageFit,
  cosineSimilarity,
  demographicFactor,
  distanceKm,
  goalCompatibility,
  interestFactor,
  preferenceFactor,
  proximityFactor,
  quizFactor,
  toQuizVector,
  UNKNOWN,
} from "../src/match.ts";
import { profile } from "./match.support.ts";

describe("quiz vectors", () => {
  it("rejects what cannot be compared", () => {
    expect(toQuizVector(null)).toBeNull();
    expect(toQuizVector([])).toBeNull();
    expect(toQuizVector([1, null, 0])).toBeNull();
    expect(toQuizVector([1, Number.NaN])).toBeNull();
    expect(toQuizVector([0.5, 0.5, 0.5])).toBeNull();
  });

  it("centres on the neutral answer, scales to unit length and compares by cosine", () => {
    const a = toQuizVector([0.8, 0.9]);
    const [x, y] = Array.from(a?.unit ?? []);
    expect(x).toBeCloseTo(0.6);
    expect(y).toBeCloseTo(0.8);
    const b = toQuizVector([0.9, 0.2]);
    expect(a && b && cosineSimilarity(a, b)).toBeCloseTo(0);
    const c = toQuizVector([1, 0, 1]);
    expect(a && c && cosineSimilarity(a, c)).toBeNull();
  });
});

describe("quizFactor", () => {
  const v = (xs: number[]) => toQuizVector(xs);
  it("maps cosine -1, 0, 1 to 0, 0.5, 1", () => {
    expect(quizFactor(v([1, 0.5]), v([0, 0.5])).value).toBeCloseTo(0);
    expect(quizFactor(v([1, 0.5]), v([0.5, 1])).value).toBeCloseTo(0.5);
    expect(quizFactor(v([1, 1]), v([0.75, 0.75])).value).toBeCloseTo(1, 12);
    // Raw 0–1 vectors would all look alike; centred, two "disagree" users agree.
    expect(quizFactor(v([0, 0.1]), v([0.1, 0])).value).toBeGreaterThan(0.9);
    expect(quizFactor(v([0.9, 1]), v([0.1, 0])).value).toBeLessThan(0.1);
  });
  it("has no confidence without two comparable vectors", () => {
    expect(quizFactor(v([1, 0]), null)).toEqual(UNKNOWN);
    expect(quizFactor(v([1, 0]), v([1, 0, 0]))).toEqual(UNKNOWN);
    expect(quizFactor(v([1, 0]), v([0.5, 0.5]))).toEqual(UNKNOWN);
  });
});

describe("interestFactor", () => {
  it("is the Jaccard index", () => {
    expect(interestFactor(["a", "b", "c"], ["b", "c", "d"])).toEqual({ value: 0.5, confidence: 1 });
    expect(interestFactor(["a"], ["b"])).toEqual({ value: 0, confidence: 1 });
  });
  it("has no confidence when either side has no interests", () => {
    expect(interestFactor([], ["a"])).toEqual(UNKNOWN);
  });
});

describe("proximity", () => {
  it("measures great-circle distance", () => {
    const sf = { latitude: 37.7749, longitude: -122.4194 };
    const la = { latitude: 34.0522, longitude: -118.2437 };
    expect(distanceKm(sf, la)).toBeCloseTo(559, 0);
    expect(distanceKm(sf, sf)).toBe(0);
  });
  it("halves every half distance", () => {
    expect(proximityFactor(0, 25).value).toBe(1);
    expect(proximityFactor(25, 25).value).toBeCloseTo(0.5);
    expect(proximityFactor(50, 25).value).toBeCloseTo(0.25);
    expect(proximityFactor(null, 25)).toEqual(UNKNOWN);
  });
});

describe("demographic", () => {
  it("fits ages around the user's own age, within the range", () => {
    const wishes = { minAge: 25, maxAge: 35, preferences: [], dealbreakers: [] };
    expect(ageFit(wishes, 30, 30)).toBe(1);
    expect(ageFit(wishes, 30, 35)).toBe(0.75);
    expect(ageFit(wishes, 30, 36)).toBe(0);
    // Own age outside the range: anchored on the nearest end.
    expect(ageFit(wishes, 40, 35)).toBe(1);
    expect(ageFit(wishes, 40, 25)).toBe(0.5);
  });

  it("rates relationship goals symmetrically", () => {
    expect(goalCompatibility("LONG_TERM", "LONG_TERM")).toBe(1);
    expect(goalCompatibility("UNSURE", "CASUAL")).toBe(0.5);
    expect(goalCompatibility("SHORT_TERM", "CASUAL")).toBe(
      goalCompatibility("CASUAL", "SHORT_TERM"),
    );
    expect(goalCompatibility("LONG_TERM", "SHORT_TERM")).toBe(0.25);
    expect(goalCompatibility("FRIENDSHIP", "LONG_TERM")).toBe(0);
  });

  it("halves confidence without a goal", () => {
    const a = profile({ age: 30 });
    expect(demographicFactor(a, profile({ age: 30 }))).toEqual({ value: 1, confidence: 1 });
    expect(demographicFactor(a, profile({ age: 30, goal: null }))).toEqual({
      value: 1,
      confidence: 0.5,
    });
    expect(demographicFactor(a, profile({ age: 30, goal: "FRIENDSHIP" })).value).toBe(0.5);
  });
});

describe("preferenceFactor", () => {
  it("averages the share of each side's wishes the other meets", () => {
    const a = profile({ preferences: ["dog", "vegan"], attributes: ["kids"] });
    const b = profile({ preferences: ["kids"], attributes: ["dog"] });
    expect(preferenceFactor(a, b)).toEqual({ value: 0.75, confidence: 1 });
  });
  it("counts only the sides that have wishes", () => {
    const a = profile({ preferences: ["dog"] });
    expect(preferenceFactor(a, profile({ attributes: ["dog"] }))).toEqual({
      value: 1,
      confidence: 0.5,
    });
    expect(preferenceFactor(profile(), profile())).toEqual(UNKNOWN);
  });
});
