import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CandidatePost,
  compareRanked,
  DEFAULT_FEED_WEIGHTS,
  FEED_FACTORS,
  pageAfter,
  positionOf,
  rankPosts,
  type ScoredPost,
  scorePost,
} from "../src/feed.ts";
import { affinity, candidate, hoursAgo, now } from "./feed.support.ts";

const weights = DEFAULT_FEED_WEIGHTS;
const viewer = affinity({ fav: 1 }, { hiking: 1 }, { PHOTO: 0.5, TEXT: 0.25, POLL: 0.25 });
const score = (p: Partial<CandidatePost>) => scorePost(candidate(p), viewer, weights, now).score;

describe("scorePost", () => {
  it("explains itself: contributions are weight × factor and sum to the score", () => {
    const scored = scorePost(
      candidate({ authorId: "fav", topics: ["hiking"], popularity: 20, compatibility: 0.4 }),
      viewer,
      weights,
      now,
    );
    let sum = 0;
    for (const factor of FEED_FACTORS) {
      const sign = factor === "seen" ? -1 : 1;
      expect(scored.contributions[factor]).toBeCloseTo(
        sign * weights[factor] * scored.factors[factor],
        12,
      );
      sum += scored.contributions[factor];
    }
    expect(scored.score).toBeCloseTo(sum, 12);
    expect(scored.factors.creatorAffinity).toBe(1);
    expect(scored.factors.trending).toBeCloseTo(0.25, 12);
    expect(scored.factors.freshness).toBeCloseTo(1 / Math.log(4), 12);
  });

  it("subtracts the seen weight from a seen post, nothing else changes", () => {
    expect(score({ seen: false }) - score({ seen: true })).toBeCloseTo(weights.seen, 12);
  });

  it("ranks higher on each factor when everything else is equal", () => {
    const better: [string, Partial<CandidatePost>, Partial<CandidatePost>][] = [
      ["creator affinity", { authorId: "fav" }, { authorId: "other" }],
      ["topic affinity", { topics: ["hiking"] }, { topics: ["jazz"] }],
      ["type affinity", { type: "PHOTO" }, { type: "TEXT" }],
      ["compatibility", { compatibility: 0.8 }, { compatibility: 0.2 }],
      ["match", { matchScore: 0.9 }, { matchScore: null }],
      ["trending", { popularity: 50, isTrending: true }, { popularity: 5 }],
      ["quality", { quality: 0.9 }, { quality: 0.4 }],
      ["freshness", { createdAt: hoursAgo(1) }, { createdAt: hoursAgo(30) }],
      ["not seen", { seen: false }, { seen: true }],
    ];
    for (const [, high, low] of better) expect(score(high)).toBeGreaterThan(score(low));
  });

  it("never falls when a positive input grows", () => {
    const unit = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(unit, unit, unit, unit, (q1, q2, c1, c2) => {
        const [qLow, qHigh] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const [cLow, cHigh] = c1 <= c2 ? [c1, c2] : [c2, c1];
        expect(score({ quality: qHigh, compatibility: cHigh })).toBeGreaterThanOrEqual(
          score({ quality: qLow, compatibility: cLow }),
        );
      }),
    );
  });
});

describe("rankPosts", () => {
  it("orders by score, ties by post id", () => {
    const ranked = rankPosts(
      [
        candidate({ postId: "b" }),
        candidate({ postId: "top", quality: 1 }),
        candidate({ postId: "a" }),
        candidate({ postId: "low", seen: true }),
      ],
      viewer,
      weights,
      now,
    );
    expect(ranked.map((r) => r.post.postId)).toEqual(["top", "a", "b", "low"]);
  });
});

/** Scored items with arbitrary (often tied) scores, in feed order. */
const rankings = fc
  .uniqueArray(
    fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 })),
    {
      selector: ([id]) => id,
      maxLength: 40,
    },
  )
  .map((rows) =>
    rows
      .map(([postId, s]): ScoredPost => {
        const scored = scorePost(candidate({ postId }), null, weights, now);
        return { ...scored, score: s / 4 };
      })
      .sort((a, b) => compareRanked(positionOf(a), positionOf(b))),
  );

describe("pageAfter", () => {
  it("pages through the whole ranking once, in order", () => {
    fc.assert(
      fc.property(rankings, fc.integer({ min: 1, max: 7 }), (ranked, limit) => {
        const seen: string[] = [];
        let page = pageAfter(ranked, null, limit);
        for (;;) {
          for (const item of page.items) seen.push(item.post.postId);
          if (!page.next) break;
          expect(page.items).toHaveLength(limit);
          page = pageAfter(ranked, page.next, limit);
        }
        expect(seen).toEqual(ranked.map((r) => r.post.postId));
      }),
    );
  });

  it("continues after a position whose post has left the ranking", () => {
    const ranked = rankings.filter((r) => r.length >= 3);
    fc.assert(
      fc.property(ranked, (items) => {
        const gone = items[1] as ScoredPost;
        const rest = items.filter((item) => item !== gone);
        const page = pageAfter(rest, positionOf(gone), 100);
        expect(page.items).toEqual(items.slice(2));
      }),
    );
  });

  it("is empty after the last item", () => {
    const ranked = rankPosts([candidate({ postId: "only" })], null, weights, now);
    const last = positionOf(ranked[0] as ScoredPost);
    expect(pageAfter(ranked, last, 5)).toEqual({ items: [], next: null });
  });
});
