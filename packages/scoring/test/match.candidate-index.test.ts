import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  acceptEachOther,
  CandidateIndex,
  type DiscoveryUser,
  distanceKm,
  EARTH_RADIUS_KM,
  narrowByQuiz,
  narrowByQuizDistance,
  withinEachOthersDistance,
} from "../src/match.ts";
import { profile } from "./match.support.ts";

const GENDERS = ["MAN", "WOMAN", "NONBINARY"];
const ATTRIBUTES = ["dog", "drinks", "kids", "smokes", "vegan"];
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

/** Users around two towns (a few without a location), as the demo population clusters them. */
const arbUser = fc
  .record({
    age: fc.integer({ min: 18, max: 60 }),
    minAge: fc.integer({ min: 18, max: 40 }),
    span: fc.integer({ min: 0, max: 30 }),
    gender: fc.constantFrom(...GENDERS),
    seeks: fc.subarray(GENDERS, { minLength: 1 }),
    town: fc.option(fc.constantFrom([48.85, 2.35], [50.85, 4.35], [-33.9, 151.2]), { nil: null }),
    dLat: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
    dLon: fc.double({ min: -0.9, max: 0.9, noNaN: true }),
    maxKm: fc.constantFrom(10, 25, 50, 80, 160, 400),
    attributes: fc.subarray(ATTRIBUTES),
    dealbreakers: fc.subarray(ATTRIBUTES, { maxLength: 2 }),
    quiz: fc.option(
      fc.array(fc.constantFrom(0, 0.25, 0.5, 0.75, 1), { minLength: 4, maxLength: 5 }),
      { nil: null },
    ),
  })
  .map(
    (u): Omit<DiscoveryUser, "id"> => ({
      ...profile({
        age: u.age,
        minAge: u.minAge,
        maxAge: u.minAge + u.span,
        attributes: u.attributes,
        dealbreakers: u.dealbreakers,
        quiz: u.quiz,
        location: u.town && { latitude: u.town[0] + u.dLat, longitude: u.town[1] + u.dLon },
      }),
      gender: u.gender,
      gendersSought: u.seeks,
      maxDistanceKm: u.maxKm,
    }),
  );

const arbPopulation = fc
  .array(arbUser, { minLength: 1, maxLength: 60 })
  .map((users) => users.map((u, i): DiscoveryUser => ({ ...u, id: `u${i}` })));

/** The hard filters written out pair by pair, with the candidate query's band and box; distance both ways. */
function mayMeet(v: DiscoveryUser, c: DiscoveryUser): boolean {
  if (c.id === v.id) return false;
  if (!v.gendersSought.includes(c.gender) || !c.gendersSought.includes(v.gender)) return false;
  if (!acceptEachOther(v, c)) return false;
  if (!v.location || !c.location) return true;
  const halfWidth =
    v.maxDistanceKm /
    (KM_PER_DEGREE * Math.max(Math.cos((v.location.latitude * Math.PI) / 180), 0.01));
  const inBox =
    Math.abs(v.location.longitude) + halfWidth > 180 ||
    Math.abs(c.location.longitude - v.location.longitude) <= halfWidth;
  const km = distanceKm(v.location, c.location);
  return inBox && km <= v.maxDistanceKm && km <= c.maxDistanceKm;
}

const ids = (users: readonly DiscoveryUser[]) => users.map((u) => u.id).sort();

describe("CandidateIndex", () => {
  it("finds exactly the candidates the pairwise hard filters accept", () => {
    fc.assert(
      fc.property(arbPopulation, (users) => {
        const index = new CandidateIndex(users);
        for (const viewer of users) {
          const expected = users.filter((c) => mayMeet(viewer, c));
          const pool = index.poolOf(viewer);
          expect(ids(pool.candidates)).toEqual(ids(expected));
          for (const c of pool.candidates) expect(withinEachOthersDistance(viewer, c)).toBe(true);
          expect(pool.tested).toBeGreaterThanOrEqual(pool.candidates.length);
          expect(pool.tested).toBeLessThanOrEqual(users.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("carries quiz distances that narrow exactly as narrowByQuiz does", () => {
    fc.assert(
      fc.property(arbPopulation, fc.integer({ min: 1, max: 10 }), (users, cap) => {
        const index = new CandidateIndex(users);
        for (const viewer of users) {
          const { candidates, quizDistances } = index.poolOf(viewer);
          const fast = narrowByQuizDistance(viewer, candidates, quizDistances, cap);
          expect(fast.map((c) => c.id)).toEqual(
            narrowByQuiz(viewer, candidates, cap).map((c) => c.id),
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it("keeps distance mutual: within the viewer's and the candidate's own max distance", () => {
    const user = (id: string, km: number, maxDistanceKm: number): DiscoveryUser => ({
      ...profile({ id, location: { latitude: 48.85 + km / KM_PER_DEGREE, longitude: 2.35 } }),
      gender: "WOMAN",
      gendersSought: ["WOMAN"],
      maxDistanceKm,
    });
    const viewer = user("v", 0, 80);
    const near = user("near-10", 5, 10);
    const farForThem = user("far-for-them", 30, 10);
    const farForViewer = user("far-for-viewer", 90, 200);
    const unlocated = { ...user("unlocated", 0, 1), location: null };
    const index = new CandidateIndex([viewer, near, farForThem, farForViewer, unlocated]);
    expect(ids(index.poolOf(viewer).candidates)).toEqual(["near-10", "unlocated"]);
    // The other way round too: the 10 km candidate does not see the viewer 30 km away.
    expect(ids(index.poolOf(farForThem).candidates)).toEqual(["unlocated"]);
    expect(ids(index.poolOf(farForViewer).candidates)).toEqual(["unlocated"]);
    expect(withinEachOthersDistance(viewer, farForThem)).toBe(false);
    expect(withinEachOthersDistance(farForThem, viewer)).toBe(false);
    expect(withinEachOthersDistance(viewer, near)).toBe(true);
    // The users the search tested: those in the viewer's band (the viewer too) and the
    // unlocated; the one north of the band is never reached.
    expect(index.poolOf(viewer).tested).toBe(4);
  });

  it("skips the viewer and refuses both ways on dealbreakers", () => {
    const at = { latitude: 48.85, longitude: 2.35 };
    const user = (id: string, extra: Partial<DiscoveryUser> = {}): DiscoveryUser => ({
      ...profile({ id, location: at }),
      gender: "WOMAN",
      gendersSought: ["WOMAN"],
      maxDistanceKm: 50,
      ...extra,
    });
    const viewer = user("v", { wishes: { ...profile().wishes, dealbreakers: ["smokes"] } });
    const smoker = user("smoker", { attributes: new Set(["smokes"]) });
    const picky = user("picky", {
      wishes: { ...profile().wishes, dealbreakers: ["dog"] },
    });
    const fine = user("fine");
    const index = new CandidateIndex([viewer, smoker, picky, fine]);
    expect(ids(index.poolOf(viewer).candidates)).toEqual(["fine", "picky"]);
    const dogOwner = user("dog-owner", { attributes: new Set(["dog"]) });
    expect(ids(new CandidateIndex([dogOwner, picky]).poolOf(dogOwner).candidates)).toEqual([]);
  });
});
