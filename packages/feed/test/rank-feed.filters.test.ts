import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idsOf, scene } from "./support.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe(`rankFeed hard filters (${testDatabaseKind()})`, () => {
  it("serves only live, good, safe posts of the window by others", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const author = await s.user("author");
    const gone = await s.user("gone", { deleted: true });
    const away = await s.user("away", { deactivated: true });
    const ok = await s.post("ok", { author });
    await s.post("deleted", { author, deleted: true });
    await s.post("by-deleted-user", { author: gone });
    await s.post("by-deactivated-user", { author: away });
    await s.post("own", { author: viewer });
    await s.post("low-quality", { author, quality: 0.29 });
    await s.post("no-quality", { author, quality: null });
    await s.post("no-features", { author, features: false });
    await s.post("nsfw", { author, nsfw: true });
    await s.post("too-old", { author, hoursAgo: 7 * 24 + 1 });
    await s.post("future", { author, hoursAgo: -1 });
    const edge = await s.post("quality-at-threshold", { author, quality: 0.3 });
    expect(new Set(idsOf(await s.feed(viewer)))).toEqual(new Set([ok, edge]));
  });

  it("serves nsfw posts only when allowed", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const author = await s.user("author");
    const nsfw = await s.post("nsfw", { author, nsfw: true });
    expect(idsOf(await s.feed(viewer))).toEqual([]);
    expect(idsOf(await s.feed(viewer, { allowNsfw: true }))).toEqual([nsfw]);
  });

  it("drops excluded creators and hidden posts of the viewer state, whatever their scores", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const blocked = await s.user("blocked");
    const other = await s.user("other");
    const blockedPost = await s.post("by-blocked", { author: blocked, quality: 1 });
    const hidden = await s.post("hidden", { author: other, quality: 1 });
    const kept = await s.post("kept", { author: other });
    await s.trending(blockedPost, 500, { trending: true });
    await s.trending(hidden, 500, { trending: true });
    await s.affinity(viewer, { creators: { [blocked]: 1, [other]: 1 } });
    await s.compatibility(viewer, blocked, 1);
    await s.state(viewer, { excluded: [blocked], hidden: [hidden] });
    expect(idsOf(await s.feed(viewer))).toEqual([kept]);
  });

  it("ignores an expired TrendingScore", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const author = await s.user("author");
    const live = await s.post("live", { author });
    const expired = await s.post("expired", { author });
    await s.trending(live, 40, { trending: true });
    await s.trending(expired, 40, { trending: true, expired: true });
    const page = await s.feed(viewer);
    const trendingOf = (id: string) => page.items.find((i) => i.postId === id)?.factors.trending;
    expect(trendingOf(live)).toBeGreaterThan(0.5);
    expect(trendingOf(expired)).toBe(0);
  });

  it("suggests top MatchScores without excluded or inactive users, on the first page only", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const [best, second, blocked, away] = [
      await s.user("best"),
      await s.user("second"),
      await s.user("blocked"),
      await s.user("away", { deactivated: true }),
    ];
    await s.match(viewer, best, 0.9, ["shared_interest:hiking"]);
    await s.match(viewer, second, 0.6);
    await s.match(viewer, blocked, 0.95);
    await s.match(viewer, away, 0.99);
    await s.state(viewer, { excluded: [blocked] });
    const author = await s.user("author");
    await s.post("a", { author });
    await s.post("b", { author });
    const first = await s.feed(viewer, { limit: 1 });
    expect(first.suggestions).toEqual([
      { userId: best, score: 0.9, reasons: ["shared_interest:hiking"] },
      { userId: second, score: 0.6, reasons: [] },
    ]);
    expect((await s.feed(viewer, { limit: 1, suggestions: 1 })).suggestions).toHaveLength(1);
    const next = await s.feed(viewer, { cursor: first.nextCursor ?? "" });
    expect(next.suggestions).toEqual([]);
  });

  it("never shows a person who is not eligible: as author, affinity creator, compatible partner or suggestion", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const adult = await s.user("adult", { age: 18 });
    const minor = await s.user("minor", { age: 17 });
    const undated = await s.user("undated", { age: null });
    const kept = await s.post("by-adult", { author: adult });
    for (const author of [minor, undated]) {
      const post = await s.post(`by-${author}`, { author, quality: 1 });
      await s.trending(post, 500, { trending: true });
      await s.compatibility(viewer, author, 1);
      await s.match(viewer, author, 0.99);
    }
    await s.affinity(viewer, { creators: { [minor]: 1, [undated]: 1 } });
    await s.match(viewer, adult, 0.5);
    const page = await s.feed(viewer);
    expect(page.viewerIneligible).toBeNull();
    expect(idsOf(page)).toEqual([kept]);
    expect(page.suggestions.map((x) => x.userId)).toEqual([adult]);
  });

  it("serves an ineligible or unknown viewer an empty page that says why", async () => {
    const s = scene(db);
    const author = await s.user("author");
    await s.post("p", { author });
    const viewers = {
      minor: await s.user("minor", { age: 17 }),
      noBirthDate: await s.user("undated", { age: null }),
      deactivated: await s.user("away", { deactivated: true }),
      deleted: await s.user("gone", { deleted: true }),
      unknownUser: s.id("nobody"),
    };
    for (const [reason, viewer] of Object.entries(viewers)) {
      if (reason !== "unknownUser") await s.match(viewer, author, 0.9);
      const page = await s.feed(viewer);
      expect(page.viewerIneligible).toBe(reason);
      expect(page.items).toEqual([]);
      expect(page.suggestions).toEqual([]);
      expect(page.nextCursor).toBeNull();
    }
    expect((await s.feed(await s.user("adult", { age: 18 }))).items).toHaveLength(1);
  });
});
