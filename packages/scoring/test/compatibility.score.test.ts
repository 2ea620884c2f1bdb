import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CompatibilityInput,
  hidePenalty,
  InvalidActivityError,
  type PairActivity,
  DEFAULT_COMPATIBILITY_PARAMS as params,
  scoreCompatibility,
  topicProfile,
} from "../src/compatibility.ts";
import { activity, daysAgo, NOW, replies } from "./compatibility.support.ts";

const count = fc.nat({ max: 200 });
const actionCounts = fc.record({
  likes: count,
  comments: count,
  shares: count,
  profileViews: count,
});
const exposureCounts = fc.record({ impressions: count, seen: count });
const pastDate = fc
  .integer({ min: 0, max: 89 * 86_400 })
  .map((seconds) => new Date(NOW.getTime() - seconds * 1000));
const latencies = fc.array(fc.integer({ min: 0, max: 7 * 24 * 60 }), { maxLength: 12 });
const profile = fc
  .array(
    fc.tuple(
      fc.constantFrom("hiking", "coffee", "jazz", "travel", "yoga"),
      fc.integer({ min: 1, max: 30 }),
    ),
  )
  .map(topicProfile);

const pairActivity: fc.Arbitrary<PairActivity> = fc
  .record({
    messagesSent: count,
    messagesReceived: count,
    lastMessageAt: fc.option(pastDate, { nil: null }),
    minutes: latencies,
    actionsGiven: actionCounts,
    actionsReceived: actionCounts,
    exposureGiven: exposureCounts,
    exposureReceived: exposureCounts,
    recentInteractions: count,
    earlierInteractions: count,
    hideCount: fc.nat({ max: 3 }),
    lastHideAt: pastDate,
  })
  .map(({ minutes, hideCount, lastHideAt, ...rest }) =>
    activity({
      ...rest,
      replies: replies(...minutes),
      hides: { count: hideCount, lastAt: hideCount > 0 ? lastHideAt : null },
    }),
  );

const input = (a: PairActivity, viewerTopics = topicProfile([]), targetTopics = topicProfile([])) =>
  ({ scope: ["messages"], activity: a, viewerTopics, targetTopics }) satisfies CompatibilityInput;

/** The same pair seen from the target. */
function swapped({
  scope,
  activity: a,
  viewerTopics,
  targetTopics,
}: CompatibilityInput): CompatibilityInput {
  return {
    scope,
    viewerTopics: targetTopics,
    targetTopics: viewerTopics,
    activity: {
      ...a,
      messagesSent: a.messagesReceived,
      messagesReceived: a.messagesSent,
      actionsGiven: a.actionsReceived,
      actionsReceived: a.actionsGiven,
      exposureGiven: a.exposureReceived,
      exposureReceived: a.exposureGiven,
    },
  };
}

describe("scoreCompatibility", () => {
  it("keeps every score in [0, 1]", () => {
    fc.assert(
      fc.property(pairActivity, profile, profile, (a, v, t) => {
        const { score } = scoreCompatibility(input(a, v, t), NOW, params);
        return score >= 0 && score <= 1;
      }),
    );
  });

  it("gives the same score from either side of the pair", () => {
    fc.assert(
      fc.property(pairActivity, profile, profile, (a, v, t) => {
        const forward = scoreCompatibility(input(a, v, t), NOW, params).score;
        const backward = scoreCompatibility(swapped(input(a, v, t)), NOW, params).score;
        expect(backward).toBeCloseTo(forward, 12);
      }),
    );
  });

  it("never rises when a hide is added", () => {
    fc.assert(
      fc.property(pairActivity, pastDate, (a, hiddenAt) => {
        const hidden = { ...a, hides: { count: a.hides.count + 1, lastAt: hiddenAt } };
        const unhidden = { ...a, hides: { count: 0, lastAt: null } };
        return (
          scoreCompatibility(input(hidden), NOW, params).score <=
          scoreCompatibility(input(unhidden), NOW, params).score
        );
      }),
    );
  });

  it("scores a pair that did nothing 0 and records each factor as its bare value", () => {
    const { score, factors } = scoreCompatibility(
      { ...input(activity()), scope: ["suggestion"] },
      NOW,
      params,
    );
    expect(score).toBe(0);
    expect(factors).toEqual({
      scope: ["suggestion"],
      communication: { value: 0 },
      interaction: { value: 0 },
      mutualInterest: { value: 0 },
      trajectory: { value: 0 },
    });
  });

  it("explains every factor with its raw inputs once there are any", () => {
    const { factors } = scoreCompatibility(
      input(
        activity({
          messagesSent: 1,
          lastMessageAt: daysAgo(1),
          exposureGiven: { impressions: 1, seen: 0 },
          recentInteractions: 1,
          hides: { count: 1, lastAt: daysAgo(3) },
        }),
        topicProfile([["jazz", 2]]),
        topicProfile([["jazz", 1]]),
      ),
      NOW,
      params,
    );
    expect(factors.communication).toMatchObject({ sent: 1, received: 0, replies: 0 });
    expect(factors.interaction).toMatchObject({ exposure: { impressions: 1, seen: 0 } });
    expect(factors.mutualInterest).toMatchObject({ similarity: 1, sharedTopics: ["jazz"] });
    expect(factors.trajectory).toMatchObject({ recent: 1, earlier: 0, growth: 1 });
    expect(factors.hides).toMatchObject({ hides: 1, daysSinceLastHide: 3 });
  });

  it("is the weighted mean of the factors, rounded only in the explanation", () => {
    const a = activity({
      messagesSent: 6,
      messagesReceived: 5,
      lastMessageAt: daysAgo(2),
      replies: replies(3, 8, 20, 45),
      actionsGiven: { likes: 3, comments: 1, shares: 0, profileViews: 2 },
      recentInteractions: 10,
      earlierInteractions: 4,
    });
    const { score, factors } = scoreCompatibility(input(a), NOW, params);
    const w = params.weights;
    const expected =
      (w.communication * factors.communication.value +
        w.interaction * factors.interaction.value +
        w.trajectory * factors.trajectory.value) /
      (w.communication + w.interaction + w.mutualInterest + w.trajectory);
    expect(score).toBeCloseTo(expected, 3);
    expect(String(factors.communication.value).split(".")[1]?.length ?? 0).toBeLessThanOrEqual(4);
  });

  it("takes hidePenalty of the score for a fresh hide, half as much after a half-life", () => {
    const fresh = hidePenalty(activity({ hides: { count: 2, lastAt: NOW } }), NOW, params);
    const old = hidePenalty(activity({ hides: { count: 1, lastAt: daysAgo(180) } }), NOW, params);
    expect(fresh.multiplier).toBeCloseTo(1 - params.hidePenalty);
    expect(old.multiplier).toBeCloseTo(1 - params.hidePenalty / 2);
  });

  it("refuses inputs real data cannot produce", () => {
    const bad = [
      activity({ messagesSent: -1 }),
      activity({ messagesReceived: 1.5 }),
      activity({ lastMessageAt: new Date(NOW.getTime() + 1000) }),
      activity({ replies: { count: 2, p25Seconds: null, medianSeconds: 60, p75Seconds: 90 } }),
      activity({ actionsGiven: { likes: Number.NaN, comments: 0, shares: 0, profileViews: 0 } }),
    ];
    for (const a of bad) {
      expect(() => scoreCompatibility(input(a), NOW, params)).toThrow(InvalidActivityError);
    }
  });
});
