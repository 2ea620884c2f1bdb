import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CompatibilityV2Input,
  InvalidActivityError,
  type MessageRecency,
  messageActivity,
  DEFAULT_COMPATIBILITY_PARAMS as params,
  scoreCompatibilityV2,
  topicProfile,
  DEFAULT_COMPATIBILITY_V2_PARAMS as v2,
} from "../src/compatibility.ts";
import { activity, daysAgo, NOW } from "./compatibility.support.ts";

const NO_TOPICS = topicProfile([]);
const count = fc.nat({ max: 200 });
const ageSeconds = fc.integer({ min: 0, max: 89 * 86_400 });
const at = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

const messages = (overrides: Partial<MessageRecency> = {}): MessageRecency => ({
  lastSentAt: null,
  lastReceivedAt: null,
  decayedMessages: 0,
  ...overrides,
});

const input = (m: MessageRecency, a = activity()): CompatibilityV2Input => ({
  scope: ["messages"],
  activity: a,
  viewerTopics: NO_TOPICS,
  targetTopics: NO_TOPICS,
  messages: m,
});

const score = (m: MessageRecency, a = activity()) =>
  scoreCompatibilityV2(input(m, a), NOW, params, v2).score;

/** Any scorable pair: v1's activity inputs plus both last-message times and a decayed count. */
const pair = fc.record({
  sentAge: fc.option(ageSeconds, { nil: null }),
  receivedAge: fc.option(ageSeconds, { nil: null }),
  decayedMessages: fc.double({ min: 0, max: 400, noNaN: true }),
  likes: count,
  recentInteractions: count,
  earlierInteractions: count,
  hideCount: fc.nat({ max: 3 }),
  hideAge: ageSeconds,
});
type Pair = typeof pair extends fc.Arbitrary<infer T> ? T : never;

const pairInput = (p: Pair): CompatibilityV2Input =>
  input(
    messages({
      lastSentAt: p.sentAge === null ? null : at(p.sentAge),
      lastReceivedAt: p.receivedAge === null ? null : at(p.receivedAge),
      decayedMessages: p.decayedMessages,
    }),
    activity({
      actionsGiven: { likes: p.likes, comments: 0, shares: 0, profileViews: 0 },
      recentInteractions: p.recentInteractions,
      earlierInteractions: p.earlierInteractions,
      hides: { count: p.hideCount, lastAt: p.hideCount > 0 ? at(p.hideAge) : null },
    }),
  );

describe("compatibility-v2", () => {
  it("scores a pair that talked both ways yesterday above one with more, month-old messages", () => {
    const yesterday = messages({
      lastSentAt: daysAgo(1),
      lastReceivedAt: daysAgo(1),
      decayedMessages: 2 * 0.5 ** (1 / 14),
    });
    const monthOld = messages({
      lastSentAt: daysAgo(31),
      lastReceivedAt: daysAgo(31),
      decayedMessages: 30 * 0.5 ** (31 / 14),
    });
    expect(score(yesterday)).toBeGreaterThan(score(monthOld));
  });

  it("takes the last two-way contact as the earlier of the two last messages; one-way is no contact", () => {
    const both = scoreCompatibilityV2(
      input(messages({ lastSentAt: daysAgo(1), lastReceivedAt: daysAgo(7) })),
      NOW,
      params,
      v2,
    );
    expect(both.factors.contact).toEqual({ value: 0.5, daysSinceTwoWayContact: 7 });
    const oneWay = scoreCompatibilityV2(
      input(messages({ lastSentAt: daysAgo(1) })),
      NOW,
      params,
      v2,
    );
    expect(oneWay.factors.contact).toEqual({ value: 0, daysSinceTwoWayContact: null });
    expect(oneWay.score).toBe(0);
  });

  it("gives volume diminishing returns through the decayed count", () => {
    const gain = (from: number) =>
      messageActivity(messages({ decayedMessages: from + 1 }), v2).value -
      messageActivity(messages({ decayedMessages: from }), v2).value;
    expect(gain(0)).toBeGreaterThan(gain(5));
    expect(gain(5)).toBeGreaterThan(gain(50));
    expect(
      messageActivity(messages({ decayedMessages: v2.activitySaturation }), v2).value,
    ).toBeCloseTo(1 - 1 / Math.E, 12);
  });

  it("is in [0, 1] and deterministic for any scorable pair", () => {
    fc.assert(
      fc.property(pair, (p) => {
        const first = scoreCompatibilityV2(pairInput(p), NOW, params, v2);
        expect(first.score).toBeGreaterThanOrEqual(0);
        expect(first.score).toBeLessThanOrEqual(1);
        expect(scoreCompatibilityV2(pairInput(p), NOW, params, v2)).toEqual(first);
      }),
    );
  });

  it("never scores a more recent two-way contact lower, all else equal", () => {
    fc.assert(
      fc.property(pair, ageSeconds, ageSeconds, (p, older, newer) => {
        const [recent, old] = newer <= older ? [newer, older] : [older, newer];
        const withContact = (age: number) =>
          scoreCompatibilityV2(pairInput({ ...p, sentAge: age, receivedAge: age }), NOW, params, v2)
            .score;
        expect(withContact(recent)).toBeGreaterThanOrEqual(withContact(old));
      }),
    );
  });

  it("never scores a larger decayed count lower, with each extra message adding no more than the last", () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 0, max: 50, noNaN: true }), (p, step) => {
        const withCount = (n: number) =>
          scoreCompatibilityV2(pairInput({ ...p, decayedMessages: n }), NOW, params, v2).score;
        const base = p.decayedMessages;
        const first = withCount(base + step) - withCount(base);
        const second = withCount(base + 2 * step) - withCount(base + step);
        expect(first).toBeGreaterThanOrEqual(-1e-12);
        expect(second).toBeLessThanOrEqual(first + 1e-12);
      }),
    );
  });

  it("rejects a negative or non-finite decayed count and a last message after now", () => {
    expect(() => score(messages({ decayedMessages: -1 }))).toThrow(InvalidActivityError);
    expect(() => score(messages({ decayedMessages: Number.NaN }))).toThrow(/decayedMessages/);
    expect(() => score(messages({ lastReceivedAt: daysAgo(-1) }))).toThrow(
      /lastReceivedAt .* is after now/,
    );
  });
});
