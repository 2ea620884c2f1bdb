import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adaptiveGate,
  decayedVelocity,
  type GatedPost,
  scoreCandidatesV2,
  type TrendingV2Candidate,
  velocityPerHour,
} from "../src/trending.ts";

const now = new Date("2026-03-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const FLOOR_HOURS = 0.25;

function post(postId: string, likes: number, hoursOld = 10): GatedPost {
  return {
    postId,
    createdAt: hoursAgo(hoursOld),
    likes,
    comments: 0,
    shares: 0,
    profileViews: 0,
    hides: 0,
  };
}

/** Σ 0.5^(age / h) over actions of the given ages: what the job's query sums. */
const decayedSum = (ages: readonly number[], h: number) =>
  ages.reduce((sum, age) => sum + 0.5 ** (age / h), 0);

const ids = (posts: readonly GatedPost[]) => posts.map((p) => p.postId);

describe("adaptiveGate", () => {
  it("gives a quiet community its most-acted-on posts as candidates, at least minCandidates", () => {
    // Nobody reaches five actions: v1's gate would leave no candidate at all.
    const quiet = [
      post("a", 1),
      post("b", 3),
      post("c", 2),
      post("d", 4),
      post("e", 1),
      post("f", 2),
    ];
    const candidates = adaptiveGate(quiet, { minEngagements: 5, minCandidates: 3 });
    // d (4), b (3), then c and f (2 each, as new as each other): c by id.
    expect(ids(candidates)).toEqual(["b", "c", "d"]);
  });

  it("breaks ties in actions by the newer post, then by id, and keeps the input order", () => {
    const tied = [post("old", 2, 30), post("new-b", 2, 5), post("new-a", 2, 5), post("top", 3)];
    const candidates = adaptiveGate(tied, { minEngagements: 5, minCandidates: 3 });
    expect(ids(candidates)).toEqual(["new-b", "new-a", "top"]);
  });

  it("lets the threshold alone decide on a busy day, and never admits a post without action", () => {
    const busy = [post("a", 9), post("b", 5), post("c", 7), post("d", 0), post("e", 1)];
    expect(ids(adaptiveGate(busy, { minEngagements: 5, minCandidates: 2 }))).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(ids(adaptiveGate(busy, { minEngagements: 5, minCandidates: 10 }))).toEqual([
      "a",
      "b",
      "c",
      "e",
    ]);
  });

  it("counts likes, comments, shares and profile views as actions, not hides", () => {
    const mixed: GatedPost[] = [
      { ...post("spread", 1), comments: 1, shares: 1, profileViews: 2 },
      { ...post("hidden", 0), hides: 9 },
    ];
    expect(ids(adaptiveGate(mixed, { minEngagements: 5, minCandidates: 0 }))).toEqual(["spread"]);
  });

  it("keeps v1's candidates and at least min(minCandidates, posts with an action)", () => {
    const posts = fc.array(fc.nat({ max: 12 }), { maxLength: 60 });
    const params = fc.record({
      minEngagements: fc.integer({ min: 1, max: 10 }),
      minCandidates: fc.nat({ max: 30 }),
    });
    fc.assert(
      fc.property(posts, params, (likes, p) => {
        const all = likes.map((n, i) => post(`p${String(i).padStart(2, "0")}`, n, 1 + (i % 7)));
        const candidates = adaptiveGate(all, p);
        const active = all.filter((x) => x.likes > 0);
        expect(candidates.length).toBeGreaterThanOrEqual(Math.min(p.minCandidates, active.length));
        for (const x of all.filter((x) => x.likes >= p.minEngagements)) {
          expect(candidates).toContain(x);
        }
        for (const x of candidates) expect(x.likes).toBeGreaterThan(0);
        // Whoever is left out has no more actions than any candidate admitted by rank.
        const byRank = candidates.filter((x) => x.likes < p.minEngagements);
        const leftOut = active.filter((x) => !candidates.includes(x));
        for (const out of leftOut)
          for (const x of byRank) expect(out.likes).toBeLessThanOrEqual(x.likes);
      }),
    );
  });
});

describe("decayedVelocity", () => {
  it("reads a steady rate of actions as that rate, at any age and half-life", () => {
    for (const [rate, ageHours, h] of [
      [12, 10, 1],
      [12, 0.5, 1],
      [2, 40, 6],
      [30, 3, 0.5],
    ] as const) {
      // One action in the middle of each 1/rate-hour slot of the post's life.
      const count = Math.round(rate * ageHours);
      const ages = Array.from({ length: count }, (_, k) => (k + 0.5) / rate);
      const v = decayedVelocity(decayedSum(ages, h), ageHours, h, FLOOR_HOURS);
      expect(v / rate).toBeCloseTo(1, 2);
    }
  });

  it("is not zero when the last action is older than v1's window, and ranks by recent pace", () => {
    // Three actions each, 5 h apart on one post and within the last 3 h on the other.
    const slow = decayedVelocity(decayedSum([5, 10, 15], 1), 20, 1, FLOOR_HOURS);
    const recent = decayedVelocity(decayedSum([0.5, 1.5, 2.5], 1), 20, 1, FLOOR_HOURS);
    expect(velocityPerHour(0, 20, 1, FLOOR_HOURS)).toBe(0);
    expect(slow).toBeGreaterThan(0);
    expect(recent).toBeGreaterThan(slow);
  });

  it("measures a post younger than the floor over the floor", () => {
    const v = decayedVelocity(decayedSum([0.01, 0.01, 0.01, 0.01, 0.01], 1), 0.02, 1, FLOOR_HOURS);
    const overFloor = 5 / ((1 / Math.LN2) * (1 - 0.5 ** FLOOR_HOURS));
    expect(v).toBeCloseTo(overFloor * 0.5 ** (0.01 / 1), 9);
    // Over its 0.02 h of life the same five actions would read 250 per hour.
    expect(v).toBeLessThan(25);
  });

  it("tends to the lifetime rate as the half-life grows", () => {
    expect(decayedVelocity(decayedSum([1, 2, 7], 1e9), 12, 1e9, FLOOR_HOURS)).toBeCloseTo(
      3 / 12,
      6,
    );
  });
});

describe("scoreCandidatesV2", () => {
  const params = {
    weights: { like: 1, comment: 2, share: 3, profileView: 0.5, hide: 3 },
    halfLifeHours: 6,
    velocityHalfLifeHours: 1,
    velocityFloorHours: FLOOR_HOURS,
    trendingMultiplier: 2,
  };
  const candidate = (postId: string, actionAges: number[]): TrendingV2Candidate => ({
    ...post(postId, actionAges.length, 12),
    recentActions: 0,
    decayedActions: decayedSum(actionAges, params.velocityHalfLifeHours),
    previous: null,
  });

  it("decays popularity with v2's half-life and trends on the decayed velocity", () => {
    const scores = scoreCandidatesV2(
      [
        candidate("calm-1", [8, 9, 10]),
        candidate("calm-2", [7, 9, 11]),
        candidate("calm-3", [6, 8, 10]),
        candidate("hot", [0.2, 0.4, 0.6]),
      ],
      params,
      now,
    );
    const hot = scores.find((s) => s.postId === "hot");
    expect(hot?.popularity).toBeCloseTo(3 * 0.5 ** (12 / 6), 12);
    expect(hot?.velocity).toBeCloseTo(
      decayedVelocity(decayedSum([0.2, 0.4, 0.6], 1), 12, 1, FLOOR_HOURS),
      12,
    );
    expect(scores.filter((s) => s.isTrending).map((s) => s.postId)).toEqual(["hot"]);
    for (const s of scores) expect(s.velocity).toBeGreaterThan(0);
  });
});
