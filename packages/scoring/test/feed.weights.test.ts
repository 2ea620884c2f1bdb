import { describe, expect, it } from "vitest";
import {
  coldStartWeights,
  DEFAULT_FEED_WEIGHTS,
  FEED_FACTORS,
  type FeedWeights,
  rankPosts,
  validateFeedWeights,
} from "../src/feed.ts";
import { candidate, hoursAgo, now } from "./feed.support.ts";

const positiveTotal = (w: FeedWeights) =>
  FEED_FACTORS.filter((f) => f !== "seen").reduce((sum, f) => sum + w[f], 0);

describe("validateFeedWeights", () => {
  it("accepts the defaults", () => {
    expect(() => validateFeedWeights(DEFAULT_FEED_WEIGHTS)).not.toThrow();
  });

  it("rejects negative or non-finite weights, a bad popularityHalf and an empty version", () => {
    const bad: Partial<FeedWeights>[] = [
      { quality: -0.1 },
      { seen: Number.NaN },
      { trending: Number.POSITIVE_INFINITY },
      { popularityHalf: 0 },
      { version: " " },
    ];
    for (const change of bad) {
      expect(() => validateFeedWeights({ ...DEFAULT_FEED_WEIGHTS, ...change })).toThrow(RangeError);
    }
  });
});

describe("coldStartWeights", () => {
  const cold = coldStartWeights(DEFAULT_FEED_WEIGHTS);

  it("moves the affinity weights to trending and quality, keeping their ratio and the total", () => {
    expect(cold.creatorAffinity + cold.topicAffinity + cold.typeAffinity).toBe(0);
    expect(cold.trending / cold.quality).toBeCloseTo(
      DEFAULT_FEED_WEIGHTS.trending / DEFAULT_FEED_WEIGHTS.quality,
      12,
    );
    expect(positiveTotal(cold)).toBeCloseTo(positiveTotal(DEFAULT_FEED_WEIGHTS), 12);
    expect(cold.trending + cold.quality).toBeGreaterThan(
      cold.freshness + cold.compatibility + cold.match,
    );
    expect(cold.version).toBe(DEFAULT_FEED_WEIGHTS.version);
  });

  it("splits evenly when trending and quality weigh nothing", () => {
    const split = coldStartWeights({ ...DEFAULT_FEED_WEIGHTS, trending: 0, quality: 0 });
    expect(split.trending).toBeCloseTo(0.25, 12);
    expect(split.quality).toBeCloseTo(0.25, 12);
  });

  it("lets a popular, good post beat a fresher plain one", () => {
    const posts = [
      candidate({ postId: "fresh", createdAt: hoursAgo(0.5), quality: 0.4 }),
      candidate({
        postId: "popular",
        createdAt: hoursAgo(20),
        quality: 0.9,
        popularity: 40,
        isTrending: true,
      }),
    ];
    expect(rankPosts(posts, null, cold, now).map((r) => r.post.postId)).toEqual([
      "popular",
      "fresh",
    ]);
  });
});
