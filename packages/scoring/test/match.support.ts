import fc from "fast-check";
import {
  type GeoPoint,
  type MatchProfile,
  type MatchScoringConfig,
  type RelationshipGoal,
  toQuizVector,
} from "../src/match.ts";

export const config: MatchScoringConfig = {
  weights: { quiz: 0.35, interests: 0.25, proximity: 0.15, demographic: 0.15, preferences: 0.1 },
  missingFactorValue: 0.25,
  proximityHalfDistanceKm: 25,
  hidePenalty: 0.7,
  hideHalfLifeDays: 90,
  maxReasons: 5,
};

export interface ProfileInput {
  id?: string;
  age?: number;
  goal?: RelationshipGoal | null;
  attributes?: string[];
  location?: GeoPoint | null;
  quiz?: number[] | null;
  interests?: string[];
  minAge?: number;
  maxAge?: number;
  preferences?: string[];
  dealbreakers?: string[];
}

/** A hand-built profile: 30, long-term, in San Francisco, no quiz, interests or wishes. */
export function profile(p: ProfileInput = {}): MatchProfile {
  return {
    id: p.id ?? "u",
    age: p.age ?? 30,
    relationshipGoal: p.goal === undefined ? "LONG_TERM" : p.goal,
    attributes: new Set(p.attributes ?? []),
    location: p.location === undefined ? { latitude: 37.7749, longitude: -122.4194 } : p.location,
    quiz: toQuizVector(p.quiz ?? null),
    interests: [...new Set(p.interests ?? [])].sort(),
    wishes: {
      minAge: p.minAge ?? 18,
      maxAge: p.maxAge ?? 99,
      preferences: p.preferences ?? [],
      dealbreakers: p.dealbreakers ?? [],
    },
  };
}

const TAGS = ["art", "dining", "hiking", "movies", "music", "reading", "sports", "yoga"];
const ATTRIBUTES = ["dog", "drinks", "kids", "smokes", "vegan"];
const GOALS: RelationshipGoal[] = ["LONG_TERM", "SHORT_TERM", "FRIENDSHIP", "CASUAL", "UNSURE"];

export const arbLocation: fc.Arbitrary<GeoPoint> = fc.record({
  latitude: fc.double({ min: -80, max: 80, noNaN: true }),
  longitude: fc.double({ min: -179, max: 179, noNaN: true }),
});

/** Random profiles, including every kind of missing input. */
export const arbProfile: fc.Arbitrary<MatchProfile> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    age: fc.integer({ min: 18, max: 80 }),
    goal: fc.option(fc.constantFrom(...GOALS), { nil: null }),
    attributes: fc.subarray(ATTRIBUTES),
    location: fc.option(arbLocation, { nil: null }),
    quiz: fc.option(
      fc.array(fc.constantFrom(0, 0.25, 0.5, 0.75, 1), { minLength: 4, maxLength: 4 }),
      {
        nil: null,
      },
    ),
    interests: fc.subarray(TAGS),
    minAge: fc.integer({ min: 18, max: 40 }),
    span: fc.integer({ min: 0, max: 50 }),
    preferences: fc.subarray(ATTRIBUTES),
    dealbreakers: fc.subarray(ATTRIBUTES, { maxLength: 1 }),
  })
  .map(({ span, ...p }) => profile({ ...p, maxAge: p.minAge + span }));

export const arbTag = fc.constantFrom(...TAGS);
