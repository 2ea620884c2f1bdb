import type { Database, EngagementType } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import { authorAndViewers, engageByViewers } from "../support/trending.ts";

const now = new Date("2026-03-10T12:00:00Z");
const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * 60_000);
const minutesAfter = (at: Date, minutes: number) => minutesBefore(at, -minutes);

let db: Database;
let f: Fixtures;

useTestDatabase(now, "file", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

// Emptied before each test: the job rewrites the whole table and its trending line is a mean
// over every candidate, so tests must not see each other's posts, scores or runs. Emptying
// the tables is a fraction of opening a fresh database per test.
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe("TRUNCATE users, trending_scores, job_runs CASCADE");
  await authorAndViewers(f);
});

const engage = (postId: string, type: EngagementType, count: number, at: Date) =>
  engageByViewers(f, postId, type, count, at);

/** A post by `author` created `hoursOld` before `now`, liked `likes` times an hour later. */
async function likedPost(id: string, hoursOld: number, likes: number, authorId = "author") {
  const createdAt = hoursBefore(now, hoursOld);
  await f.post({ id, authorId, createdAt });
  await engage(id, "LIKE", likes, minutesAfter(createdAt, 60));
}

const viewProfile = (actorId: string, at: Date) =>
  f.event({ actorId, type: "PROFILE_VIEW", targetUserId: "author", at });

const scoredIds = async () =>
  (await db.prisma.trendingScore.findMany({ orderBy: { postId: "asc" } })).map((s) => s.postId);

const scoreOf = (postId: string) =>
  db.prisma.trendingScore.findUniqueOrThrow({ where: { postId } });

describe(`trending job (${testDatabaseKind()})`, () => {
  it("gates on the window and on at least five actions, ignoring exposure and later events", async () => {
    await likedPost("inside-window", 48 - 1 / 60, 5);
    await likedPost("outside-window", 48, 5);
    await likedPost("four-likes", 10, 4);
    await likedPost("five-likes", 10, 5);
    await likedPost("fifth-like-after-now", 10, 4);
    await f.event({
      actorId: "viewer-9",
      type: "LIKE",
      postId: "fifth-like-after-now",
      at: minutesAfter(now, 1),
    });
    await likedPost("exposure-only", 10, 4);
    await engage("exposure-only", "IMPRESSION", 10, hoursBefore(now, 2));
    await engage("exposure-only", "SEEN", 10, hoursBefore(now, 2));
    await likedPost("self-liked", 10, 4);
    await f.event({
      actorId: "author",
      type: "LIKE",
      postId: "self-liked",
      at: hoursBefore(now, 1),
    });
    await f.post({ id: "created-after-now", authorId: "author", createdAt: minutesAfter(now, 5) });

    const summary = await runForTest(db, trendingJob, now);

    expect(await scoredIds()).toEqual(["five-likes", "inside-window"]);
    expect(summary.result).toMatchObject({ postsScanned: 6, candidates: 2 });
    expect(summary.metadata).toMatchObject({
      rowsScanned: 6,
      maxPostsScanned: 50_000,
      budgetExceeded: { rowsScanned: false, rowsWritten: false, runtime: false },
    });
  });

  it("excludes reported, nsfw and deleted posts and posts of inactive authors", async () => {
    await f.user({ id: "deactivated-author", deactivatedAt: hoursBefore(now, 1) });
    await f.user({ id: "author-deleted-later", deletedAt: minutesAfter(now, 10) });
    await likedPost("reported", 5, 5);
    await f.event({
      actorId: "viewer-7",
      type: "REPORT",
      postId: "reported",
      at: hoursBefore(now, 1),
    });
    await likedPost("reported-after-now", 5, 5);
    await f.event({
      actorId: "viewer-7",
      type: "REPORT",
      postId: "reported-after-now",
      at: minutesAfter(now, 1),
    });
    await likedPost("nsfw", 5, 5);
    await likedPost("safe", 5, 5);
    await likedPost("no-features-row", 5, 5);
    for (const [postId, nsfw] of [
      ["nsfw", true],
      ["safe", false],
    ] as const) {
      await db.prisma.postFeatures.create({
        data: { postId, topics: [], nsfw, inputHash: "h", algorithmVersion: "test" },
      });
    }
    await f.post({
      id: "deleted",
      authorId: "author",
      createdAt: hoursBefore(now, 5),
      deletedAt: hoursBefore(now, 1),
    });
    await engage("deleted", "LIKE", 5, hoursBefore(now, 4));
    await likedPost("by-deactivated", 5, 5, "deactivated-author");
    await likedPost("by-author-deleted-later", 5, 5, "author-deleted-later");

    const summary = await runForTest(db, trendingJob, now);

    expect(await scoredIds()).toEqual([
      "by-author-deleted-later",
      "no-features-row",
      "reported-after-now",
      "safe",
    ]);
    expect(summary.metadata).toMatchObject({ excludedPosts: 3, reportedPosts: 1 });
  });

  it("scores popularity with age decay, velocity per hour and attributed profile views", async () => {
    const createdAt = hoursBefore(now, 6);
    await f.post({ id: "post", authorId: "author", createdAt });
    await engage("post", "LIKE", 3, hoursBefore(now, 5));
    await engage("post", "COMMENT", 2, minutesBefore(now, 30));
    await engage("post", "SHARE", 1, minutesBefore(now, 10));
    await f.event({ actorId: "viewer-12", type: "HIDE", postId: "post", at: hoursBefore(now, 2) });
    // Attributed: seen 10 min before the profile view (counted once though viewed twice).
    await f.event({ actorId: "viewer-10", type: "SEEN", postId: "post", at: hoursBefore(now, 3) });
    await viewProfile("viewer-10", minutesBefore(now, 170));
    await viewProfile("viewer-10", minutesBefore(now, 160));
    // Not attributed: no exposure; an action that is not an exposure (viewer-3 liked the post
    // 5 min before); a view after now (viewer-10 saw the post 5 min before it); an exposure
    // 45 min before the view.
    await viewProfile("viewer-11", hoursBefore(now, 1));
    await viewProfile("viewer-3", minutesBefore(now, 295));
    await f.event({
      actorId: "viewer-10",
      type: "SEEN",
      postId: "post",
      at: minutesBefore(now, 5),
    });
    await viewProfile("viewer-10", minutesAfter(now, 1));
    await f.event({
      actorId: "viewer-9",
      type: "IMPRESSION",
      postId: "post",
      at: minutesBefore(now, 100),
    });
    await viewProfile("viewer-9", minutesBefore(now, 55));

    await runForTest(db, trendingJob, now);

    const score = await scoreOf("post");
    expect(score.popularity).toBeCloseTo((3 + 2 * 2 + 3 + 0.5 - 3) * 0.5 ** (6 / 24), 9);
    expect(score).toMatchObject({
      velocity: 3,
      engagementCount: 7,
      isTrending: false,
      peakTime: null,
      computedAt: now,
      expiresAt: hoursBefore(now, -48),
      algorithmVersion: trendingJob.algorithmVersion,
    });
  });

  it("keeps the peak time while a post stays trending and resets it when it stops", async () => {
    for (const id of ["calm-1", "calm-2", "calm-3"]) await likedPost(id, 20, 5);
    await f.post({ id: "hot", authorId: "author", createdAt: hoursBefore(now, 20) });
    await engage("hot", "LIKE", 5, minutesBefore(now, 20));

    await runForTest(db, trendingJob, now);
    expect(await scoreOf("hot")).toMatchObject({ isTrending: true, peakTime: now });

    const later = minutesAfter(now, 15);
    await engage("hot", "COMMENT", 3, minutesBefore(later, 5));
    await runForTest(db, trendingJob, later);
    expect(await scoreOf("hot")).toMatchObject({ isTrending: true, peakTime: now });

    const quiet = minutesAfter(now, 120);
    await runForTest(db, trendingJob, quiet);
    expect(await scoreOf("hot")).toMatchObject({ isTrending: false, peakTime: null });

    const again = minutesAfter(now, 180);
    await engage("hot", "SHARE", 4, minutesBefore(again, 10));
    await runForTest(db, trendingJob, again);
    expect(await scoreOf("hot")).toMatchObject({ isTrending: true, peakTime: again });
    expect((await scoreOf("calm-1")).isTrending).toBe(false);
  });

  it("removes scores of posts that left the window, were reported, or expired", async () => {
    await likedPost("ageing", 40, 5);
    await likedPost("reported-later", 5, 5);
    await likedPost("staying", 5, 5);
    await likedPost("old", 100, 5);
    await db.prisma.trendingScore.create({
      data: {
        postId: "old",
        computedAt: hoursBefore(now, 60),
        expiresAt: hoursBefore(now, 12),
        algorithmVersion: trendingJob.algorithmVersion,
      },
    });
    await runForTest(db, trendingJob, now);
    expect(await scoredIds()).toEqual(["ageing", "reported-later", "staying"]);

    const later = hoursBefore(now, -10);
    await f.event({
      actorId: "viewer-8",
      type: "REPORT",
      postId: "reported-later",
      at: hoursBefore(later, 1),
    });
    const summary = await runForTest(db, trendingJob, later);
    expect(await scoredIds()).toEqual(["staying"]);
    expect(summary.result).toMatchObject({ candidates: 1, upserted: 1, removed: 2 });
    expect(summary.metadata).toMatchObject({ rowsWritten: 3 });
  });

  it("is idempotent at the same clock", async () => {
    for (const id of ["a", "b", "c"]) await likedPost(id, 30, 6);
    await likedPost("d", 1.5, 9);
    const first = await runForTest(db, trendingJob, now);
    const rowsAfterFirst = await db.prisma.trendingScore.findMany({ orderBy: { postId: "asc" } });
    const second = await runForTest(db, trendingJob, now);
    expect(await db.prisma.trendingScore.findMany({ orderBy: { postId: "asc" } })).toEqual(
      rowsAfterFirst,
    );
    expect(second.result).toEqual({ ...(first.result as object), removed: 0 });
    expect(rowsAfterFirst.filter((r) => r.isTrending).map((r) => r.postId)).toEqual(["d"]);
  });

  it("prints the top N in a dry run and writes nothing", async () => {
    await likedPost("small", 3, 5);
    await likedPost("big", 3, 9);
    await likedPost("medium", 3, 7);

    const summary = await runForTest(db, trendingJob, now, { dryRun: true }, { topN: 2 });

    expect(await scoredIds()).toEqual([]);
    expect(summary.metadata).toMatchObject({ rowsWritten: 0 });
    expect(summary.result).toMatchObject({
      dryRun: true,
      candidates: 3,
      top: [
        { postId: "big", popularity: 9 * 0.5 ** (3 / 24) },
        { postId: "medium", popularity: 7 * 0.5 ** (3 / 24) },
      ],
    });
  });

  it("rejects unknown config keys", async () => {
    await expect(runForTest(db, trendingJob, now, {}, { windowHour: 24 })).rejects.toThrow(
      /unknown config key "windowHour"/,
    );
  });
});
