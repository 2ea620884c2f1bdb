import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CandidateIndex,
  type DiscoveryUser,
  distanceKm,
  type GeoPoint,
  MAX_REACH_BOXES,
  type Reach,
  reachesOf,
  reachOf,
} from "../src/match.ts";
import { profile } from "./match.support.ts";

const GENDERS = ["MAN", "WOMAN"];
/** Towns near the ±180° meridian and near the poles, where boxes stop being boxes, and two plain ones. */
const TOWNS = [
  [48.85, 2.35],
  [-33.9, 151.2],
  [-17.7, 179.6],
  [-16.5, -179.7],
  [89.5, 40],
  [-89.5, -60],
] as const;

const arbUser = fc
  .record({
    age: fc.integer({ min: 18, max: 40 }),
    gender: fc.constantFrom(...GENDERS),
    seeks: fc.subarray(GENDERS, { minLength: 1 }),
    town: fc.option(fc.constantFrom(...TOWNS), { nil: null, freq: 8 }),
    dLat: fc.double({ min: -0.9, max: 0.9, noNaN: true }),
    dLon: fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    maxKm: fc.constantFrom(5, 25, 80, 160, 400),
    // Two quiz lengths, so that a subset's usual length can differ from the whole's.
    quiz: fc.option(fc.array(fc.constantFrom(0, 0.25, 0.75, 1), { minLength: 3, maxLength: 4 }), {
      nil: null,
    }),
  })
  .map(
    (u): Omit<DiscoveryUser, "id"> => ({
      ...profile({
        age: u.age,
        minAge: 18,
        maxAge: 40,
        quiz: u.quiz,
        location: u.town && {
          latitude: Math.max(-90, Math.min(90, u.town[0] + u.dLat)),
          longitude: wrap(u.town[1] + u.dLon),
        },
      }),
      gender: u.gender,
      gendersSought: u.seeks,
      maxDistanceKm: u.maxKm,
    }),
  );

/** A longitude back into [-180, 180]. */
const wrap = (longitude: number) => ((((longitude + 180) % 360) + 360) % 360) - 180;

const arbPopulation = fc
  .array(arbUser, { minLength: 2, maxLength: 60 })
  .map((users) => users.map((u, i): DiscoveryUser => ({ ...u, id: `u${i}` })));

function inside(reach: Reach | null, at: GeoPoint | null): boolean {
  if (!reach || !at) return true;
  const { latitude, longitude } = at;
  if (latitude < reach.south || latitude > reach.north) return false;
  return (
    !reach.longitudes || (reach.longitudes.west <= longitude && longitude <= reach.longitudes.east)
  );
}

/** A pool as comparable data: candidate ids with their quiz distances, by id. */
function poolOf(index: CandidateIndex, viewer: DiscoveryUser) {
  const { candidates, quizDistances } = index.poolOf(viewer);
  return candidates
    .map((c, i) => ({ id: c.id, quizDistance: quizDistances[i] }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

const at = (latitude: number, longitude: number, maxDistanceKm = 80) => ({
  location: { latitude, longitude },
  maxDistanceKm,
});

describe("reachOf", () => {
  it("is the viewers' box widened by their largest max distance", () => {
    const reach = reachOf([at(48, 2, 50), at(49, 4, 111.195)]);
    expect(reach?.south).toBeCloseTo(47, 4);
    expect(reach?.north).toBeCloseTo(50, 4);
    // At 49°, 1° of arc spans asin(sin 1° / cos 49°) = 1.52437° of longitude, a little more
    // than 1° / cos 49° = 1.52425°.
    expect(reach?.longitudes?.west).toBeCloseTo(2 - 1.52437, 4);
    expect(reach?.longitudes?.east).toBeCloseTo(4 + 1.52437, 4);
  });

  it("is anywhere when a viewer has no location", () => {
    expect(reachOf([at(48, 2), { location: null, maxDistanceKm: 80 }])).toBeNull();
  });

  it("takes every longitude across the ±180° meridian and around the poles", () => {
    expect(reachOf([at(-17.7, 179.6, 80)])?.longitudes).toBeNull();
    expect(reachOf([at(-16.5, -179.7, 80)])?.longitudes).toBeNull();
    expect(reachOf([at(-17.7, 170, 80)])?.longitudes).not.toBeNull();
    expect(reachOf([at(89.5, 40, 80)])?.longitudes).toBeNull();
    expect(reachOf([at(-89.5, 40, 80)])?.longitudes).toBeNull();
    expect(reachOf([at(0, 0, 20_000)])?.longitudes).toBeNull();
  });

  it("refuses an empty list of viewers", () => {
    expect(() => reachOf([])).toThrow(/no viewers/);
  });

  it("holds every user within a viewer's max distance, and an index over it finds the whole population's pools", () => {
    fc.assert(
      fc.property(arbPopulation, fc.integer({ min: 1, max: 5 }), (users, n) => {
        const viewers = users.slice(0, n);
        const one = reachOf(viewers);
        const boxes = reachesOf(viewers);
        const inBoxes = (at: GeoPoint | null) => !boxes || boxes.some((box) => inside(box, at));
        for (const v of viewers) {
          for (const c of users) {
            if (v.location && c.location && distanceKm(v.location, c.location) <= v.maxDistanceKm) {
              expect(inside(one, c.location)).toBe(true);
              expect(inBoxes(c.location)).toBe(true);
            }
          }
        }
        const whole = new CandidateIndex(users);
        for (const reached of [(u: GeoPoint | null) => inside(one, u), inBoxes]) {
          const part = new CandidateIndex(users.filter((u, i) => i < n || reached(u.location)));
          for (const v of viewers) expect(poolOf(part, v)).toEqual(poolOf(whole, v));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("reachesOf", () => {
  it("boxes viewers in distant places apart, and close ones together", () => {
    const paris = [at(48.85, 2.35, 50), at(48.9, 2.3, 80)];
    const sydney = [at(-33.9, 151.2, 80)];
    const boxes = reachesOf([...paris, ...sydney]);
    expect(boxes).toEqual([reachOf(sydney), reachOf(paris)]);
    expect(reachesOf(paris)).toEqual([reachOf(paris)]);
    expect(reachesOf([...paris, { location: null, maxDistanceKm: 80 }])).toBeNull();
  });

  it("keeps to a few boxes however scattered the viewers", () => {
    const scattered = Array.from({ length: 100 }, (_, i) => at(-80 + 1.6 * i, 0, 10));
    const boxes = reachesOf(scattered) ?? [];
    expect(boxes).toHaveLength(MAX_REACH_BOXES);
    expect(boxes[0]?.south).toBeLessThan(-80);
    expect(boxes.at(-1)?.north).toBeGreaterThan(-80 + 1.6 * 99);
  });
});
