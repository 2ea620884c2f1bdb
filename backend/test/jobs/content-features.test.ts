import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import {
  type ContentSettings,
  computeContentFeatures,
  contentInputHash,
  DEFAULT_CLASSIFIERS,
  type NsfwClassifier,
} from "@feed-jobs/scoring/content";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyTally, scoreBatch } from "../../src/jobs/contentFeatures/batch.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { loadPosts, writeFeatures } from "../../src/jobs/contentFeatures/queries.ts";
import { daysBefore, fixtures, hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const now = new Date("2026-03-01T12:00:00Z");
const SETTINGS: ContentSettings = {
  maxTopics: 10,
  nsfwThreshold: 0.8,
  qualityThreshold: 0.3,
  maxCaptionChars: 2_200,
  includeImages: true,
};
let db: Database;
let fx: ReturnType<typeof fixtures>;

beforeAll(async () => {
  db = await createTestDatabase();
  fx = fixtures(db, now);
  await fx.user({ id: "author" });
  await fx.user({ id: "reporter" });
});
afterAll(async () => {
  await db.close();
});

const run = (options = {}, overrides = {}, at = now) =>
  runForTest(db, contentFeaturesJob, at, options, overrides);
const resultOf = async (options = {}, overrides = {}, at = now) =>
  (await run(options, overrides, at)).result as Record<string, unknown>;
const features = (postId: string) => db.prisma.postFeatures.findUnique({ where: { postId } });
const clearFeatures = () => db.prisma.postFeatures.deleteMany({});
const clearPosts = () => db.prisma.post.deleteMany({});

describe(`content-features on ${testDatabaseKind()}`, () => {
  it("computes one post now with --post-id and records what it was computed from", async () => {
    await clearPosts();
    await fx.post({
      id: "p-new",
      authorId: "author",
      type: "PHOTO",
      caption: "Went hiking at Point Reyes, the hikes there are unreal",
      mediaCount: 2,
      tags: ["#Hiking", "Outdoors"],
      createdAt: hoursBefore(now, 1),
    });
    await fx.post({ id: "p-other", authorId: "author", createdAt: hoursBefore(now, 1) });
    const result = await resultOf({ postId: "p-new" });
    expect(result).toMatchObject({ mode: "post", selected: 1, computed: 1, skippedUnchanged: 0 });
    expect(result.post).toMatchObject({ id: "p-new", nsfw: false });
    const row = await features("p-new");
    expect(row).toMatchObject({
      topics: expect.arrayContaining(["hike", "outdoors"]),
      nsfw: false,
      embeddings: null,
      algorithmVersion: contentFeaturesJob.algorithmVersion,
      computedAt: now,
      postUpdatedAt: hoursBefore(now, 1),
      reportCount: 0,
    });
    expect(row?.topics[0]).toBe("hike");
    expect(row?.quality).toBeGreaterThan(0.7);
    expect(row?.visualFeatures).toMatchObject({ mediaCount: 2 });
    expect(row?.metadata).toMatchObject({ quality: { low: false }, nsfw: { threshold: 0.8 } });
    expect(row?.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await features("p-other")).toBeNull();
  });

  it("backfills new, edited and newly reported posts, ignoring the future, then skips them all", async () => {
    await clearPosts();
    for (const id of ["p-a", "p-b", "p-c"]) {
      await fx.post({ id, authorId: "author", createdAt: daysBefore(now, 2) });
    }
    await fx.post({ id: "p-future", authorId: "author", createdAt: hoursBefore(now, -1) });
    expect(await resultOf()).toMatchObject({ mode: "changed", selected: 3, computed: 3 });
    expect(await features("p-future")).toBeNull();
    expect(await resultOf()).toMatchObject({ selected: 0, computed: 0 });

    await db.prisma.post.update({
      where: { id: "p-a" },
      data: { caption: "Sunset surf session at Ocean Beach", updatedAt: hoursBefore(now, 1) },
    });
    await fx.event({ actorId: "reporter", type: "REPORT", postId: "p-b", at: hoursBefore(now, 1) });
    await fx.event({
      actorId: "reporter",
      type: "REPORT",
      postId: "p-c",
      at: hoursBefore(now, -1),
    });
    const before = await features("p-b");
    expect(await resultOf()).toMatchObject({ selected: 2, computed: 2, skippedUnchanged: 0 });
    expect((await features("p-a"))?.topics).toContain("surf");
    const reported = await features("p-b");
    expect(reported?.reportCount).toBe(1);
    expect(reported?.quality).toBeLessThan(before?.quality ?? 0);
    expect(reported?.metadata).toMatchObject({
      nsfw: { evidence: [{ source: "text" }, { source: "reports" }] },
    });
    expect((await features("p-c"))?.reportCount).toBe(0);
    expect(await resultOf()).toMatchObject({ selected: 0 });
  });

  it("skips a post whose hash is unchanged after an edit that changed nothing scored", async () => {
    await clearPosts();
    await fx.post({ id: "p-touch", authorId: "author", createdAt: daysBefore(now, 1) });
    await run();
    const first = await features("p-touch");
    await db.prisma.post.update({
      where: { id: "p-touch" },
      data: { updatedAt: hoursBefore(now, 1) },
    });
    const result = await run();
    expect(result.result).toMatchObject({ selected: 1, computed: 0, skippedUnchanged: 1 });
    expect(result.metadata).toMatchObject({ skippedUnchanged: 1 });
    const second = await features("p-touch");
    expect(second?.computedAt).toEqual(first?.computedAt);
    expect(second?.postUpdatedAt).toEqual(hoursBefore(now, 1));
    expect(await resultOf()).toMatchObject({ selected: 0 });
  });

  it("recomputes everything after a version bump, and with --all even when unchanged", async () => {
    await clearPosts();
    await clearFeatures();
    for (const id of ["p-v1", "p-v2"])
      await fx.post({ id, authorId: "author", createdAt: daysBefore(now, 1) });
    await run();
    const next = `${contentFeaturesJob.algorithmVersion}-next`;
    const bumped = { ...contentFeaturesJob, algorithmVersion: next };
    const later = hoursBefore(now, -1);
    const summary = await runForTest(db, bumped, later);
    expect(summary.result).toMatchObject({ selected: 2, computed: 2 });
    expect((await features("p-v1"))?.algorithmVersion).toBe(next);
    expect(await resultOf({ all: true })).toMatchObject({ mode: "all", selected: 2, computed: 2 });
    expect((await features("p-v1"))?.algorithmVersion).toBe(contentFeaturesJob.algorithmVersion);
    expect(await resultOf()).toMatchObject({ selected: 0 });
  });

  it("processes many batches through the pool and writes nothing on a dry run", async () => {
    await clearPosts();
    await clearFeatures();
    for (let i = 0; i < 7; i += 1) {
      await fx.post({
        id: `p-pool-${i}`,
        authorId: "author",
        caption: `Coffee number ${i}`,
        createdAt: daysBefore(now, 1),
      });
    }
    const dry = await resultOf({ dryRun: true }, { batchSize: 2, concurrency: 3 });
    expect(dry).toMatchObject({ selected: 7, computed: 7, dryRun: true });
    expect((dry.sample as { id: string }[]).map((s) => s.id)).toEqual([
      "p-pool-0",
      "p-pool-1",
      "p-pool-2",
      "p-pool-3",
      "p-pool-4",
    ]);
    expect(await db.prisma.postFeatures.count()).toBe(0);
    const summary = await run({}, { batchSize: 2, concurrency: 3 });
    expect(summary.itemsProcessed).toBe(7);
    expect(summary.metadata).toMatchObject({ rowsWritten: 7, rowsScanned: 7 });
    expect(await db.prisma.postFeatures.count()).toBe(7);
  });

  it("gives defined results for empty, emoji-only and 100 KB captions", async () => {
    await clearPosts();
    const posts = [
      { id: "p-empty", caption: null, tags: ["Coffee"] },
      { id: "p-blank", caption: "   ", tags: [] },
      { id: "p-emoji", caption: "😍🔥😍🔥", tags: [] },
      { id: "p-huge", caption: "Long trail notes from the coast. ".repeat(3_100), tags: [] },
    ];
    for (const p of posts)
      await fx.post({ ...p, authorId: "author", createdAt: daysBefore(now, 1) });
    expect(await resultOf()).toMatchObject({ selected: 4, computed: 4, skippedFailed: 0 });
    expect(await features("p-empty")).toMatchObject({ topics: ["coffee"], sentiment: null });
    expect((await features("p-emoji"))?.sentiment).toBeGreaterThan(0);
    expect((await features("p-huge"))?.metadata).toMatchObject({ caption: { truncated: true } });
  });

  it("drops NULL tag elements, counts them, and scores the post and the posts after it", async () => {
    await clearPosts();
    await fx.post({ id: "p-1-clean", authorId: "author", createdAt: daysBefore(now, 1) });
    await fx.post({ id: "p-2-null", authorId: "author", createdAt: daysBefore(now, 1) });
    await fx.post({ id: "p-3-after", authorId: "author", createdAt: daysBefore(now, 1) });
    await db.prisma.$executeRaw`
      UPDATE posts SET tags = ARRAY[NULL, 'Coffee', NULL]::text[] WHERE id = 'p-2-null'`;
    await db.prisma.$executeRaw`UPDATE posts SET tags = NULL WHERE id = 'p-3-after'`;
    const summary = await run();
    expect(summary.result).toMatchObject({ selected: 3, computed: 3, skippedFailed: 0 });
    expect(summary.itemsFailed).toBe(0);
    expect(summary.metadata).toMatchObject({ excluded: { nullTag: 2 } });
    expect((await features("p-2-null"))?.topics).toContain("coffee");
    expect(await features("p-3-after")).not.toBeNull();
    expect(await resultOf({ postId: "p-2-null" })).toMatchObject({
      skippedUnchanged: 1,
      skippedFailed: 0,
    });
  });

  it("counts a post that cannot be scored as failed, with its id and reason, and goes on", async () => {
    await clearPosts();
    await clearFeatures();
    for (const id of ["p-ok-1", "p-broken", "p-ok-2"])
      await fx.post({ id, authorId: "author", caption: `caption of ${id}`, createdAt: now });
    const outage: NsfwClassifier = {
      name: "image-service",
      kind: "image",
      classify: (input) => {
        if (input.caption.includes("p-broken")) throw new Error("image service: bad media");
        return null;
      },
    };
    const withOutage = {
      ...contentFeaturesJob,
      async run(ctx: Parameters<typeof contentFeaturesJob.run>[0]) {
        const tally = emptyTally();
        const settings = { ...SETTINGS, classifiers: [...DEFAULT_CLASSIFIERS, outage] };
        const how = { force: false, target: "in place" } as const;
        await scoreBatch(ctx, ["p-ok-1", "p-broken", "p-ok-2"], settings, how, tally);
        return tally;
      },
    };
    const summary = await runJob(db, withOutage, { asOf: now, maxFailureShare: 0.5 });
    expect(summary.status).toBe("SUCCESS");
    expect(summary).toMatchObject({ itemsProcessed: 2, itemsFailed: 1 });
    expect(summary.result).toMatchObject({ computed: 2, skippedFailed: 1 });
    expect(summary.metadata.failures).toEqual([
      { item: "p-broken", error: "image service: bad media" },
    ]);
    expect(await features("p-broken")).toBeNull();
    expect(await features("p-ok-2")).not.toBeNull();
  });

  it("removes the row of a post deleted since, and skips deleted or unknown posts by id", async () => {
    await clearPosts();
    await fx.post({ id: "p-del", authorId: "author", createdAt: daysBefore(now, 2) });
    await fx.post({ id: "p-keep", authorId: "author", createdAt: daysBefore(now, 2) });
    await run();
    await db.prisma.post.update({
      where: { id: "p-del" },
      data: { deletedAt: hoursBefore(now, 1) },
    });
    expect(await resultOf()).toMatchObject({ selected: 0, removedDeleted: 1 });
    expect(await features("p-del")).toBeNull();
    expect(await features("p-keep")).not.toBeNull();
    expect(await resultOf({ postId: "p-del" })).toMatchObject({
      skippedDeleted: 1,
      computed: 0,
      post: null,
    });
    expect(await resultOf({ postId: "p-missing" })).toMatchObject({
      skippedDeleted: 1,
      post: null,
    });
    expect(await features("p-del")).toBeNull();
  });

  it("writes no row for a post deleted or removed between reading and writing", async () => {
    await clearPosts();
    await fx.post({ id: "p-soft", authorId: "author", createdAt: daysBefore(now, 1) });
    await fx.post({ id: "p-hard", authorId: "author", createdAt: daysBefore(now, 1) });
    await fx.post({ id: "p-live", authorId: "author", createdAt: daysBefore(now, 1) });
    const settings = SETTINGS;
    const scored = (await loadPosts(db.prisma, ["p-soft", "p-hard", "p-live"], now)).map(
      (post) => ({
        post,
        inputHash: contentInputHash(post, settings),
        features: computeContentFeatures(post, settings),
      }),
    );
    await db.prisma.post.update({
      where: { id: "p-soft" },
      data: { deletedAt: hoursBefore(now, 1) },
    });
    await db.prisma.post.delete({ where: { id: "p-hard" } });
    const written = await writeFeatures(db.prisma, scored, { now, algorithmVersion: "test" });
    expect([...written]).toEqual(["p-live"]);
    expect(await db.prisma.postFeatures.findMany({ select: { postId: true } })).toEqual([
      { postId: "p-live" },
    ]);
  });
});
