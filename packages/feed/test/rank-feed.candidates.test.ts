import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_POLICY } from "../src/index.ts";
import { followCursors, idsOf, scene } from "./support.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe(`rankFeed candidate sources and caps (${testDatabaseKind()})`, () => {
  it("takes the newest 300, a few per favourite creator and the trending posts beyond them", async () => {
    const s = scene(db);
    const viewer = await s.user("viewer");
    const filler = await s.user("filler");
    const fav = await s.user("fav");
    const star = await s.user("star");
    // More fresh posts than the recent source holds, all newer than anything below.
    await db.prisma.$executeRaw`
      INSERT INTO posts (id, author_id, type, created_at, updated_at)
      SELECT ${s.id("fill-")} || n, ${filler}, 'TEXT', ${s.now}::timestamp - n * interval '1 second',
             ${s.now}::timestamp
      FROM generate_series(1, ${FEED_POLICY.recentCandidates + 20}::int) n`;
    await db.prisma.$executeRaw`
      INSERT INTO post_features (post_id, topics, quality, input_hash, algorithm_version)
      SELECT id, '{}', 0.5, 'test', 'test' FROM posts WHERE author_id = ${filler}`;
    const favPosts: string[] = [];
    for (let i = 0; i < FEED_POLICY.postsPerCreator + 3; i += 1) {
      favPosts.push(await s.post(`fav-${i}`, { author: fav, hoursAgo: 100 + i }));
    }
    const hot = await s.post("hot", { author: star, hoursAgo: 120 });
    await s.trending(hot, 80, { trending: true });
    await s.affinity(viewer, { creators: { [fav]: 1 } });

    const limit = FEED_POLICY.maxLimit;
    const pages = await followCursors(await s.feed(viewer, { limit }), (cursor) =>
      s.feed(viewer, { limit, cursor }),
    );
    expect(pages[0]?.candidates).toBe(
      FEED_POLICY.recentCandidates + FEED_POLICY.postsPerCreator + 1,
    );
    const all = pages.flatMap(idsOf);
    for (const id of [...favPosts.slice(0, FEED_POLICY.postsPerCreator), hot]) {
      expect(all).toContain(id);
    }
    for (const id of favPosts.slice(FEED_POLICY.postsPerCreator)) expect(all).not.toContain(id);
    expect(all.filter((id) => id.startsWith(s.id("fill-")))).toHaveLength(
      FEED_POLICY.recentCandidates,
    );
  });
});
