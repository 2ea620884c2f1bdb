import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_FACTORS } from "../src/index.ts";
import { idsOf, type PostInput, rankOf, scene } from "./support.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

type Scene = ReturnType<typeof scene>;

/**
 * Two posts alike in everything but what `differ` sets up; `high` must rank above `low`. The
 * viewer has a profile (so no cold start) and neither author is in it unless `differ` says so.
 */
async function expectHigher(
  differ: (
    s: Scene,
    viewer: string,
    authors: { high: string; low: string },
  ) => Promise<{
    high?: Partial<PostInput>;
    low?: Partial<PostInput>;
    after?: (posts: { high: string; low: string }) => Promise<void>;
  }>,
) {
  const s = scene(db);
  const viewer = await s.user("viewer");
  const authors = { high: await s.user("author-high"), low: await s.user("author-low") };
  const setup = await differ(s, viewer, authors);
  const posts = {
    high: await s.post("high", { author: authors.high, ...setup.high }),
    low: await s.post("low", { author: authors.low, ...setup.low }),
  };
  await setup.after?.(posts);
  if (!(await db.prisma.userAffinityProfile.findUnique({ where: { userId: viewer } }))) {
    await s.affinity(viewer, { creators: { [s.id("someone-else")]: 1 } });
  }
  const page = await s.feed(viewer);
  expect(idsOf(page)).toEqual([posts.high, posts.low]);
  return page;
}

describe(`rankFeed ordering, one factor at a time (${testDatabaseKind()})`, () => {
  it("creator affinity", async () => {
    await expectHigher(async (s, viewer, { high }) => {
      await s.affinity(viewer, { creators: { [high]: 0.8 } });
      return {};
    });
  });

  it("topic affinity", async () => {
    await expectHigher(async (s, viewer) => {
      await s.affinity(viewer, { topics: { hiking: 1, jazz: 0.1 } });
      return { high: { topics: ["hiking"] }, low: { topics: ["jazz"] } };
    });
  });

  it("content-type preference", async () => {
    await expectHigher(async (s, viewer) => {
      await s.affinity(viewer, { types: { photos: 0.7, text: 0.1, polls: 0.1, videos: 0.1 } });
      return { high: { type: "PHOTO" }, low: { type: "TEXT" } };
    });
  });

  it("relationship compatibility with the creator", async () => {
    await expectHigher(async (s, viewer, { high, low }) => {
      await s.compatibility(viewer, high, 0.9);
      await s.compatibility(viewer, low, 0.2);
      return {};
    });
  });

  it("match score of the creator", async () => {
    await expectHigher(async (s, viewer, { high }) => {
      await s.match(viewer, high, 0.8);
      return {};
    });
  });

  it("trending", async () => {
    await expectHigher(async (s) => ({
      after: async ({ high, low }) => {
        await s.trending(high, 60, { trending: true });
        await s.trending(low, 5);
      },
    }));
  });

  it("quality", async () => {
    await expectHigher(async () => ({ high: { quality: 0.9 }, low: { quality: 0.4 } }));
  });

  it("freshness", async () => {
    await expectHigher(async () => ({ high: { hoursAgo: 1 }, low: { hoursAgo: 30 } }));
  });

  it("not seen yet", async () => {
    const page = await expectHigher(async (s, viewer) => {
      await s.state(viewer, { seen: [s.id("low")] });
      return {};
    });
    const [unseen, seen] = page.items;
    expect(unseen?.factors.seen).toBe(0);
    expect(seen?.factors.seen).toBe(1);
    expect((unseen?.score ?? 0) - (seen?.score ?? 0)).toBeCloseTo(0.3, 12);
  });
});

describe(`rankFeed explanations and cold start (${testDatabaseKind()})`, () => {
  it("explains every item: contributions per factor sum to its score", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const author = await s.user("author");
    const post = await s.post("post", { author, topics: ["hiking"], type: "PHOTO" });
    await s.trending(post, 20);
    await s.compatibility(viewer, author, 0.5);
    await s.affinity(viewer, { creators: { [author]: 0.5 }, topics: { hiking: 0.5 } });
    const [item] = (await s.feed(viewer)).items;
    if (!item) throw new Error("the post is missing from the feed");
    expect(Object.keys(item.contributions)).toEqual([...FEED_FACTORS]);
    const sum = Object.values(item.contributions).reduce((a, b) => a + b, 0);
    expect(item.score).toBeCloseTo(sum, 12);
    expect(item.factors).toMatchObject({
      creatorAffinity: 0.5,
      topicAffinity: 0.5,
      compatibility: 0.5,
      trending: 0.25,
    });
  });

  it("lets trending and quality carry a viewer without an affinity profile", async () => {
    const s = scene(db);
    const newcomer = await s.user("newcomer");
    const regular = await s.user("regular");
    const fan = await s.user("fan-favourite");
    const star = await s.user("star");
    const fresh = await s.post("fresh", { author: fan, hoursAgo: 0.5, quality: 0.4 });
    const popular = await s.post("popular", { author: star, hoursAgo: 20, quality: 0.9 });
    await s.trending(popular, 60, { trending: true });
    await s.affinity(regular, { creators: { [fan]: 1 }, topics: {} });
    const cold = await s.feed(newcomer);
    expect(cold.coldStart).toBe(true);
    expect(idsOf(cold)).toEqual([popular, fresh]);
    expect(cold.items[0]?.contributions.creatorAffinity).toBe(0);
    const warm = await s.feed(regular);
    expect(warm.coldStart).toBe(false);
    expect(rankOf(warm, fresh)).toBeLessThan(rankOf(warm, popular));
  });
});
