import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CreatorAudience,
  type CreatorSignal,
  creatorRelevance,
  eligibleCreators,
  inverseAudienceFrequency,
  type NegativeSignal,
  topByWeight,
} from "../src/affinity.ts";

const audienceOf = (sizes: Record<string, number>, population: number): CreatorAudience => ({
  population,
  audienceOf: (id) => sizes[id] ?? 0,
});
const creator = (key: string, weight: number, available = true): CreatorSignal => ({
  key,
  weight,
  available,
});
const negative = (kind: NegativeSignal["kind"], creatorId: string): NegativeSignal => ({
  kind,
  creatorId,
  ageDays: 400,
  topics: [],
});

describe("inverseAudienceFrequency", () => {
  it("is ln(1 + population / audience)", () => {
    expect(inverseAudienceFrequency(1, 1000)).toBeCloseTo(Math.log(1001), 12);
    expect(inverseAudienceFrequency(1000, 1000)).toBeCloseTo(Math.log(2), 12);
    expect(inverseAudienceFrequency(10, 1000)).toBeCloseTo(Math.log(101), 12);
  });

  it("counts an audience below 1 (exposure only) as 1", () => {
    expect(inverseAudienceFrequency(0, 50)).toBe(inverseAudienceFrequency(1, 50));
  });

  it("never increases with the audience and stays positive", () => {
    const size = fc.integer({ min: 0, max: 100_000 });
    fc.assert(
      fc.property(size, size, fc.integer({ min: 1, max: 100_000 }), (a, b, population) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const idfLarge = inverseAudienceFrequency(large, population);
        expect(idfLarge).toBeLessThanOrEqual(inverseAudienceFrequency(small, population));
        expect(idfLarge).toBeGreaterThan(0);
      }),
    );
  });
});

describe("eligibleCreators", () => {
  it("drops creators the user hid, blocked or reported, and unavailable ones", () => {
    const eligible = eligibleCreators(
      [
        creator("kept", 2),
        creator("hidden", 9),
        creator("blocked", 9),
        creator("reported", 9),
        creator("deleted", 9, false),
      ],
      [negative("HIDE", "hidden"), negative("BLOCK", "blocked"), negative("REPORT", "reported")],
    );
    expect([...eligible]).toEqual([["kept", 2]]);
  });
});

describe("TF-IDF normalisation of creators", () => {
  it("ranks a niche creator above an equally engaged one everyone engages with", () => {
    const relevance = creatorRelevance(
      new Map([
        ["everyone", 4],
        ["niche", 4],
      ]),
      audienceOf({ everyone: 1000, niche: 2 }, 1000),
    );
    const top = topByWeight(relevance, 20);
    expect(top.map((c) => c.key)).toEqual(["niche", "everyone"]);
    expect(top[0]?.weight).toBe(1);
    expect(top[1]?.weight).toBeCloseTo(Math.log(2) / Math.log(501), 6);
  });

  it("keeps the engagement order between creators of the same audience", () => {
    const relevance = creatorRelevance(
      new Map([
        ["shared", 3],
        ["liked", 1],
        ["viewed", 0.5],
      ]),
      audienceOf({ shared: 5, liked: 5, viewed: 5 }, 100),
    );
    expect(topByWeight(relevance, 20)).toEqual([
      { key: "shared", weight: 1 },
      { key: "liked", weight: 0.333333 },
      { key: "viewed", weight: 0.166667 },
    ]);
  });
});

describe("topByWeight", () => {
  it("keeps the top N, breaks ties by key, drops non-positive weights", () => {
    const top = topByWeight(
      new Map([
        ["b", 2],
        ["a", 2],
        ["c", 4],
        ["d", 0],
        ["e", 1],
      ]),
      3,
    );
    expect(top).toEqual([
      { key: "c", weight: 1 },
      { key: "a", weight: 0.5 },
      { key: "b", weight: 0.5 },
    ]);
  });

  it("returns nothing when there is no positive weight", () => {
    expect(topByWeight(new Map([["a", 0]]), 5)).toEqual([]);
    expect(topByWeight(new Map(), 5)).toEqual([]);
  });

  it("yields at most N weights in (0, 1], sorted, the first being 1", () => {
    const entries = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.double({ min: 0.001, max: 1000, noNaN: true }),
      { minKeys: 1 },
    );
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 30 }), (dict, n) => {
        const top = topByWeight(new Map(Object.entries(dict)), n);
        expect(top.length).toBe(Math.min(n, Object.keys(dict).length));
        expect(top[0]?.weight).toBe(1);
        for (const [i, entry] of top.entries()) {
          expect(entry.weight).toBeGreaterThan(0);
          expect(entry.weight).toBeLessThanOrEqual(1);
          if (i > 0) expect(entry.weight).toBeLessThanOrEqual(top[i - 1]?.weight ?? 1);
        }
      }),
    );
  });
});
