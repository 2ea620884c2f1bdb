import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { computeAsOf, parseOverrides } from "@feed-jobs/jobs";
import { decayedVelocity, type TrendingScore } from "@feed-jobs/scoring/trending";
import { describe, expect, it } from "vitest";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import { authorAndViewers, engageByViewers } from "../support/trending.ts";

const now = new Date("2026-03-10T12:00:00Z");
const V2 = { algorithm: "trending-v2" };

let db: Database;
let f: Fixtures;

useTestDatabase(now, "test", async (opened, fixtures) => {
  db = opened;
  f = fixtures;
  await authorAndViewers(f);
});

/** A post `hoursOld` old liked by viewer-1…viewer-`likes`, each like `likedHoursAgo` before now. */
async function likedPost(
  id: string,
  hoursOld: number,
  likes: number,
  likedHoursAgo = hoursOld - 1,
) {
  await f.post({ id, authorId: "author", createdAt: hoursBefore(now, hoursOld) });
  await engageByViewers(f, id, "LIKE", likes, hoursBefore(now, likedHoursAgo));
}

const storedRows = () => db.prisma.trendingScore.findMany({ orderBy: { postId: "asc" } });
const runVersions = async () =>
  (await db.prisma.jobRun.findMany({ orderBy: { startedAt: "asc" } })).map(
    (r) => r.algorithmVersion,
  );

describe(`trending versions side by side (${testDatabaseKind()})`, () => {
  it("v2 gives a quiet community its most-acted-on posts; v1 again writes v1's rows exactly", async () => {
    await likedPost("busy", 10, 6);
    await likedPost("three", 10, 3);
    await likedPost("two-new", 5, 2);
    await likedPost("two-old", 30, 2);
    await likedPost("one", 10, 1);
    await f.post({ id: "none", authorId: "author", createdAt: hoursBefore(now, 3) });

    await runForTest(db, trendingJob, now);
    const v1Rows = await storedRows();
    expect(v1Rows.map((r) => [r.postId, r.algorithmVersion])).toEqual([["busy", "trending-v1"]]);

    await runForTest(db, trendingJob, now, {}, { ...V2, v2: { minCandidates: 3 } });
    // busy passes minEngagements; the three most-acted-on: busy, three, then the newer of the twos.
    const v2Rows = await storedRows();
    expect(v2Rows.map((r) => r.postId)).toEqual(["busy", "three", "two-new"]);
    expect(new Set(v2Rows.map((r) => r.algorithmVersion))).toEqual(new Set(["trending-v2"]));

    await runForTest(db, trendingJob, now, {}, V2);
    expect((await storedRows()).map((r) => r.postId)).toEqual([
      "busy",
      "one",
      "three",
      "two-new",
      "two-old",
    ]);

    await runForTest(db, trendingJob, now);
    expect(await storedRows()).toEqual(v1Rows);
    expect(await runVersions()).toEqual([
      "trending-v1",
      "trending-v2",
      "trending-v2",
      "trending-v1",
    ]);
  });

  it("measures v2's velocity as a decayed rate of every action, profile views included", async () => {
    await f.post({ id: "post", authorId: "author", createdAt: hoursBefore(now, 20) });
    const actions = [
      { actorId: "viewer-1", type: "LIKE", at: 10 },
      { actorId: "viewer-2", type: "LIKE", at: 5 },
      { actorId: "viewer-3", type: "COMMENT", at: 3 },
      { actorId: "viewer-4", type: "SHARE", at: 2.5 },
      { actorId: "viewer-5", type: "LIKE", at: 2 },
    ] as const;
    for (const a of actions) {
      await f.event({
        actorId: a.actorId,
        type: a.type,
        postId: "post",
        at: hoursBefore(now, a.at),
      });
    }
    // viewer-10 saw the post, then viewed the author's profile twice: counted once, at the latest view.
    await f.event({
      actorId: "viewer-10",
      type: "SEEN",
      postId: "post",
      at: hoursBefore(now, 1.5),
    });
    await f.event({
      actorId: "viewer-10",
      type: "PROFILE_VIEW",
      targetUserId: "author",
      at: hoursBefore(now, 1.4),
    });
    await f.event({
      actorId: "viewer-10",
      type: "PROFILE_VIEW",
      targetUserId: "author",
      at: hoursBefore(now, 1.3),
    });
    const ages = [10, 5, 3, 2.5, 2, 1.3];
    const expected = (h: number) =>
      decayedVelocity(
        ages.reduce((sum, age) => sum + 0.5 ** (age / h), 0),
        20,
        h,
        0.25,
      );

    await runForTest(db, trendingJob, now);
    const [v1] = await storedRows();
    // Nothing in v1's last hour: its velocity is 0.
    expect(v1).toMatchObject({ velocity: 0, engagementCount: 6 });

    await runForTest(db, trendingJob, now, {}, V2);
    const [v2] = await storedRows();
    expect(v2?.velocity).toBeCloseTo(expected(1), 9);
    expect(v2?.popularity).toBeCloseTo((1 + 1 + 2 + 3 + 1 + 0.5) * 0.5 ** (20 / 6), 9);

    const set = parseOverrides([
      "algorithm=trending-v2",
      "v2.velocityHalfLifeHours=3",
      "v2.halfLifeHours=10",
    ]);
    await runForTest(db, trendingJob, now, {}, set);
    const [tuned] = await storedRows();
    expect(tuned?.velocity).toBeCloseTo(expected(3), 9);
    expect(tuned?.popularity).toBeCloseTo(8.5 * 0.5 ** (20 / 10), 9);
  });

  it("hands a dry run's rows to collect, the rows a real run writes, and writes nothing", async () => {
    await likedPost("a", 4, 2);
    await likedPost("b", 12, 7, 1);
    await likedPost("c", 30, 4, 0.5);
    const collected: TrendingScore[] = [];
    const request = {
      asOf: now,
      overrides: V2,
      collect: (rows: readonly unknown[]) => {
        collected.push(...(rows as TrendingScore[]));
      },
    };

    await computeAsOf(db, trendingJob, request);
    expect(await storedRows()).toEqual([]);
    expect(await runVersions()).toEqual([]);

    await runForTest(db, trendingJob, now, {}, V2);
    const written = (await storedRows()).map((r) => ({
      postId: r.postId,
      popularity: r.popularity,
      velocity: r.velocity,
      isTrending: r.isTrending,
    }));
    expect(
      collected
        .map((s) => ({
          postId: s.postId,
          popularity: s.popularity,
          velocity: s.velocity,
          isTrending: s.isTrending,
        }))
        .sort((x, y) => (x.postId < y.postId ? -1 : 1)),
    ).toEqual(written);
    expect(written.map((r) => r.postId)).toEqual(["a", "b", "c"]);
  });
});
