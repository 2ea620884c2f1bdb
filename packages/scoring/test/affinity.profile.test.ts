import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AffinitySettings,
  buildAffinityProfile,
  type CreatorAudience,
  DEFAULT_AFFINITY_SETTINGS,
  type NegativeSignal,
  type UserSignals,
} from "../src/affinity.ts";

const settings: AffinitySettings = {
  ...DEFAULT_AFFINITY_SETTINGS,
  topCreatorsCount: 2,
  topTopicsCount: 2,
};
const flatAudience: CreatorAudience = { population: 100, audienceOf: () => 10 };

const signals = (overrides: Partial<UserSignals> = {}): UserSignals => ({
  userId: "viewer",
  actionCount: 12,
  accountAgeDays: 365,
  creators: [
    { key: "ana", weight: 6, available: true },
    { key: "ben", weight: 3, available: true },
    { key: "cy", weight: 1, available: true },
  ],
  topics: [
    { key: "hiking", weight: 6 },
    { key: "food", weight: 2 },
    { key: "jazz", weight: 2 },
  ],
  postTypes: [
    { key: "PHOTO", weight: 8 },
    { key: "TEXT", weight: 2 },
  ],
  negatives: [],
  ...overrides,
});

describe("buildAffinityProfile", () => {
  it("gives no profile below minInteractions (cold start), one from minInteractions up", () => {
    expect(buildAffinityProfile(signals({ actionCount: 9 }), flatAudience, settings)).toBeNull();
    expect(
      buildAffinityProfile(signals({ actionCount: 10 }), flatAudience, settings),
    ).not.toBeNull();
  });

  it("assembles the top creators and topics, type shares, velocity and exploration", () => {
    const profile = buildAffinityProfile(signals(), flatAudience, settings);
    expect(profile).toEqual({
      userId: "viewer",
      topCreators: [
        { userId: "ana", weight: 1 },
        { userId: "ben", weight: 0.5 },
      ],
      topTopics: [
        { tag: "hiking", weight: 1 },
        { tag: "food", weight: 0.333333 },
      ],
      contentTypePrefs: { photos: 0.8, text: 0.2, polls: 0, videos: 0 },
      engagementVelocity: 0.133333,
      explorationFactor: expect.any(Number),
      interactionCount: 12,
    });
    expect(profile?.explorationFactor).toBeGreaterThan(0);
    expect(profile?.explorationFactor).toBeLessThan(1);
  });

  it("never lists a hidden, blocked or reported creator and down-weights hidden topics", () => {
    const negatives: NegativeSignal[] = [
      { kind: "BLOCK", creatorId: "ana", ageDays: 500, topics: [] },
      { kind: "HIDE", creatorId: "cy", ageDays: 0, topics: ["hiking"] },
    ];
    const profile = buildAffinityProfile(signals({ negatives }), flatAudience, settings);
    expect(profile?.topCreators).toEqual([{ userId: "ben", weight: 1 }]);
    expect(profile?.topTopics).toEqual([
      { tag: "hiking", weight: 1 },
      { tag: "food", weight: 0.666667 },
    ]);
  });

  it("keeps every weight in [0, 1], within the top counts, excluded creators absent", () => {
    const ids = ["a", "b", "c", "d", "e", "f"];
    const creator = fc.record({
      key: fc.constantFrom(...ids),
      weight: fc.double({ min: 0, max: 50, noNaN: true }),
      available: fc.boolean(),
    });
    const topic = fc.record({
      key: fc.constantFrom("t1", "t2", "t3", "t4"),
      weight: fc.double({ min: 0, max: 50, noNaN: true }),
    });
    const negative = fc.record({
      kind: fc.constantFrom<NegativeSignal["kind"]>("HIDE", "BLOCK", "REPORT"),
      creatorId: fc.constantFrom(...ids),
      ageDays: fc.double({ min: 0, max: 800, noNaN: true }),
      topics: fc.subarray(["t1", "t2", "t3", "t4"]),
    });
    const audience = fc.dictionary(fc.constantFrom(...ids), fc.integer({ min: 0, max: 100 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(creator, { selector: (c) => c.key }),
        fc.array(topic),
        fc.array(negative, { maxLength: 4 }),
        audience,
        (creators, topics, negatives, sizes) => {
          const profile = buildAffinityProfile(
            signals({ creators, topics, negatives }),
            { population: 100, audienceOf: (id) => sizes[id] ?? 0 },
            settings,
          );
          if (!profile) throw new Error("12 actions must give a profile");
          const excluded = new Set(negatives.map((n) => n.creatorId));
          const unavailable = new Set(creators.filter((c) => !c.available).map((c) => c.key));
          expect(profile.topCreators.length).toBeLessThanOrEqual(settings.topCreatorsCount);
          expect(profile.topTopics.length).toBeLessThanOrEqual(settings.topTopicsCount);
          for (const c of profile.topCreators) {
            expect(excluded.has(c.userId) || unavailable.has(c.userId)).toBe(false);
          }
          for (const { weight } of [...profile.topCreators, ...profile.topTopics]) {
            expect(weight).toBeGreaterThan(0);
            expect(weight).toBeLessThanOrEqual(1);
          }
          expect(profile.explorationFactor).toBeGreaterThanOrEqual(0);
          expect(profile.explorationFactor).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
