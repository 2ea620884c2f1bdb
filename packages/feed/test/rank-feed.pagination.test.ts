import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FEED_WEIGHTS, InvalidCursorError } from "../src/index.ts";
import { followCursors, idsOf, scene } from "./support.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** 25 posts over 5 ages, 5 qualities and one trending: many distinct scores and some ties. */
async function populate(s: ReturnType<typeof scene>) {
  const viewer = await s.user("viewer");
  const author = await s.user("author");
  for (let i = 0; i < 25; i += 1) {
    const post = await s.post(`p${String(i).padStart(2, "0")}`, {
      author,
      hoursAgo: 1 + (i % 5) * 6,
      quality: 0.4 + (Math.floor(i / 5) % 3) * 0.2,
    });
    if (i === 7) await s.trending(post, 30, { trending: true });
  }
  return viewer;
}

describe(`rankFeed pagination (${testDatabaseKind()})`, () => {
  it("pages through the whole ranking once, in order", async () => {
    const s = scene(db);
    const viewer = await populate(s);
    const whole = await s.feed(viewer);
    expect(whole.items).toHaveLength(25);
    expect(whole.nextCursor).toBeNull();
    const pages = await followCursors(await s.feed(viewer, { limit: 7 }), (cursor) =>
      s.feed(viewer, { limit: 7, cursor }),
    );
    expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 4]);
    const items = pages.flatMap((p) => p.items);
    expect(items.map((i) => i.postId)).toEqual(idsOf(whole));
    expect(items.map((i) => i.rank)).toEqual(whole.items.map((i) => i.rank));
    expect(new Set(items.map((i) => i.score)).size).toBeLessThan(25);
  });

  it("gives the same next page later, after new posts and after a post of the first page left", async () => {
    const s = scene(db);
    const viewer = await populate(s);
    const first = await s.feed(viewer, { limit: 10 });
    const cursor = first.nextCursor ?? "";
    const second = await s.feed(viewer, { limit: 10, cursor });
    await s.post("newer-and-better", { author: s.id("author"), hoursAgo: -1, quality: 1 });
    await db.prisma.post.update({
      where: { id: first.items[0]?.postId ?? "" },
      data: { deletedAt: s.hoursAgo(1) },
    });
    const later = new Date(s.now.getTime() + 2 * 3_600_000);
    const again = await s.feed(viewer, { limit: 10, cursor, now: later });
    expect(again.rankedAt).toEqual(s.now);
    expect(again.items).toEqual(second.items);
  });

  it("rejects a cursor it did not make or made under other weights, and a bad limit", async () => {
    const s = scene(db);
    const viewer = await populate(s);
    const cursor = (await s.feed(viewer, { limit: 5 })).nextCursor ?? "";
    const retuned = { ...DEFAULT_FEED_WEIGHTS, version: "feed-test", quality: 0.5 };
    await expect(s.feed(viewer, { cursor, weights: retuned })).rejects.toThrow(InvalidCursorError);
    await expect(s.feed(viewer, { cursor: "bogus!" })).rejects.toThrow(InvalidCursorError);
    await expect(s.feed(viewer, { limit: 0 })).rejects.toThrow(RangeError);
    await expect(s.feed(viewer, { limit: 101 })).rejects.toThrow(RangeError);
    expect((await s.feed(viewer, { weights: retuned, limit: 5 })).weightsVersion).toBe("feed-test");
  });
});
