import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rankByPopularity, scoreCandidates, type TrendingCandidate } from "../src/trending.ts";

const now = new Date("2026-03-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const params = {
  weights: { like: 1, comment: 2, share: 3, profileView: 0.5, hide: 3 },
  halfLifeHours: 24,
  velocityWindowHours: 1,
  velocityFloorHours: 0.25,
  trendingMultiplier: 2,
};

function candidate(postId: string, over: Partial<TrendingCandidate> = {}): TrendingCandidate {
  return {
    postId,
    createdAt: hoursAgo(24),
    likes: 5,
    comments: 0,
    shares: 0,
    profileViews: 0,
    hides: 0,
    recentActions: 1,
    previous: null,
    ...over,
  };
}

describe("scoreCandidates", () => {
  it("computes popularity with age decay, velocity per hour and the engagement count", () => {
    const [score] = scoreCandidates(
      [candidate("p1", { likes: 6, comments: 2, shares: 1, profileViews: 2, recentActions: 3 })],
      params,
      now,
    );
    expect(score).toMatchObject({ postId: "p1", velocity: 3, engagementCount: 11 });
    expect(score?.popularity).toBeCloseTo((6 + 4 + 3 + 1) * 0.5, 12);
  });

  it("marks as trending only the candidates above twice the mean velocity", () => {
    const scores = scoreCandidates(
      [
        candidate("calm-1", { recentActions: 1 }),
        candidate("calm-2", { recentActions: 1 }),
        candidate("calm-3", { recentActions: 1 }),
        candidate("hot", { recentActions: 9 }),
        candidate("warm", { recentActions: 3 }),
      ],
      params,
      now,
    );
    // mean velocity 3 → line 6: only "hot" is above it.
    expect(scores.filter((s) => s.isTrending).map((s) => s.postId)).toEqual(["hot"]);
    expect(scores.find((s) => s.postId === "hot")?.peakTime).toEqual(now);
    expect(scores.find((s) => s.postId === "warm")?.peakTime).toBeNull();
  });

  it("keeps a post exactly on the line out of trending", () => {
    const scores = scoreCandidates(
      [candidate("a", { recentActions: 0 }), candidate("b", { recentActions: 2 })],
      params,
      now,
    );
    // mean 1 → line 2; "b" is at 2, not above.
    expect(scores.some((s) => s.isTrending)).toBe(false);
  });

  it("never marks a post hidden more than engaged with as trending", () => {
    const scores = scoreCandidates(
      [
        candidate("a", { recentActions: 0 }),
        candidate("b", { recentActions: 0 }),
        candidate("hidden", { likes: 5, hides: 4, recentActions: 9 }),
      ],
      params,
      now,
    );
    const hidden = scores.find((s) => s.postId === "hidden");
    expect(hidden).toMatchObject({ popularity: 0, isTrending: false, peakTime: null });
  });

  it("carries the peak time over while the post stays trending", () => {
    const peak = hoursAgo(3);
    const scores = scoreCandidates(
      [
        candidate("a", { recentActions: 0 }),
        candidate("b", { recentActions: 0 }),
        candidate("hot", { recentActions: 9, previous: { wasTrending: true, peakTime: peak } }),
      ],
      params,
      now,
    );
    expect(scores.find((s) => s.postId === "hot")?.peakTime).toEqual(peak);
  });

  it("marks nothing as trending when there is a single candidate", () => {
    const scores = scoreCandidates([candidate("only", { recentActions: 50 })], params, now);
    expect(scores[0]?.isTrending).toBe(false);
  });

  it("marks at most all but one candidate as trending, whatever the velocities", () => {
    const actions = fc.array(fc.nat({ max: 500 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(actions, (recent) => {
        const scores = scoreCandidates(
          recent.map((n, i) => candidate(`p${i}`, { recentActions: n })),
          params,
          now,
        );
        expect(scores.filter((s) => s.isTrending).length).toBeLessThan(scores.length);
        for (const s of scores) expect(s.peakTime === null).toBe(!s.isTrending);
      }),
    );
  });
});

describe("rankByPopularity", () => {
  it("orders by popularity, then by post id, and keeps the first n", () => {
    const scores = scoreCandidates(
      [
        candidate("b", { likes: 5 }),
        candidate("a", { likes: 5 }),
        candidate("c", { likes: 9 }),
        candidate("d", { likes: 1 }),
      ],
      params,
      now,
    );
    expect(rankByPopularity(scores, 3).map((s) => s.postId)).toEqual(["c", "a", "b"]);
  });
});
