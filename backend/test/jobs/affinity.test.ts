import type { Database, EngagementType } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { runJob } from "@feed-jobs/jobs";
import { beforeAll, describe, expect, it } from "vitest";
import { CreatorBook } from "../../src/jobs/affinity/batch.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { aggregateCreators } from "../../src/jobs/affinity/signal-queries.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore, hoursBefore, insertPostFeatures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const NOW = new Date("2026-03-01T12:00:00Z");

let db: Database;
let f: Fixtures;
const open = () =>
  useTestDatabase(NOW, "file", (opened, fixtures) => {
    db = opened;
    f = fixtures;
  });

const users = async (...ids: string[]) => {
  for (const id of ids) await f.user({ id });
};
const profileOf = (userId: string) =>
  db.prisma.userAffinityProfile.findUnique({ where: { userId } });
const runFor = (userId: string, overrides: Record<string, unknown> = {}, now = NOW) =>
  runForTest(db, affinityJob, now, { userId }, overrides);

/** `count` events of one type by `actorId` on a profile (no post), all at `at`. */
async function profileEvents(
  actorId: string,
  targetUserId: string,
  count: number,
  at: Date,
  type: EngagementType = "PROFILE_VIEW",
) {
  await db.prisma.engagementEvent.createMany({
    data: Array.from({ length: count }, () => ({ actorId, targetUserId, type, occurredAt: at })),
  });
}

/** A post by `authorId` with its PostFeatures topics (none: no features row). */
async function post(
  id: string,
  authorId: string,
  type: "PHOTO" | "TEXT" | "POLL" | "VIDEO",
  topics?: string[],
) {
  await f.post({ id, authorId, type, createdAt: daysBefore(NOW, 100) });
  if (topics) await insertPostFeatures(db, [{ postId: id, topics }]);
}

describe(`affinity job: scoring hand-built histories (${testDatabaseKind()})`, () => {
  open();

  it("weighs a share over a like over a profile view over seen, for creators, topics and types", async () => {
    await users("w-viewer", "w-sharer", "w-liker", "w-viewed", "w-shown");
    await post("w-p1", "w-sharer", "PHOTO", ["hiking"]);
    await post("w-p2", "w-liker", "VIDEO", ["cooking"]);
    await post("w-p3", "w-shown", "TEXT", ["poetry"]);
    await post("w-own", "w-viewer", "POLL", ["selfies"]);
    await f.events([
      { actorId: "w-viewer", type: "SHARE", postId: "w-p1", at: NOW },
      { actorId: "w-viewer", type: "LIKE", postId: "w-p2", at: NOW },
      { actorId: "w-viewer", type: "PROFILE_VIEW", targetUserId: "w-viewed", at: NOW },
      { actorId: "w-viewer", type: "SEEN", postId: "w-p3", at: NOW },
      { actorId: "w-viewer", type: "SEEN", postId: "w-p3", at: NOW },
      { actorId: "w-viewer", type: "IMPRESSION", postId: "w-p3", at: NOW },
      // Engagement with one's own post or profile is ignored.
      { actorId: "w-viewer", type: "LIKE", postId: "w-own", at: NOW },
      { actorId: "w-viewer", type: "PROFILE_VIEW", targetUserId: "w-viewer", at: NOW },
    ]);

    const summary = await runFor("w-viewer", { minInteractions: 3 });
    expect(summary.result).toMatchObject({ mode: "user", users: 1, profiles: 1, upserted: 1 });
    const p = await profileOf("w-viewer");
    // Same audience (1) and age (0) for all: weights are share 3, like 1, view 0.5, 2 seen + 1 impression 0.22.
    expect(p?.topCreators).toEqual([
      { userId: "w-sharer", weight: 1 },
      { userId: "w-liker", weight: 0.333333 },
      { userId: "w-viewed", weight: 0.166667 },
      { userId: "w-shown", weight: 0.073333 },
    ]);
    expect(p?.topTopics).toEqual([
      { tag: "hiking", weight: 1 },
      { tag: "cooking", weight: 0.333333 },
      { tag: "poetry", weight: 0.073333 },
    ]);
    expect(p?.contentTypePrefs).toEqual({
      photos: 0.7109,
      text: 0.052133,
      polls: 0,
      videos: 0.236967,
    });
    expect(p?.interactionCount).toBe(3);
    expect(p?.engagementVelocity).toBeCloseTo(3 / 90, 6);
    expect(p?.explorationFactor).toBeGreaterThan(0);
    expect(p?.explorationFactor).toBeLessThan(1);
    expect(p?.computedAt).toEqual(NOW);
    expect(p?.algorithmVersion).toBe(affinityJob.algorithmVersion);
  });

  it("decays a signal by recencyDecayFactor per day and ignores events outside the window", async () => {
    await users("d-viewer", "d-fresh", "d-old", "d-edge", "d-gone", "d-future");
    await profileEvents("d-viewer", "d-fresh", 1, NOW);
    await profileEvents("d-viewer", "d-old", 1, daysBefore(NOW, 10));
    await profileEvents("d-viewer", "d-edge", 1, daysBefore(NOW, 89.9));
    await profileEvents("d-viewer", "d-gone", 1, daysBefore(NOW, 90));
    await profileEvents("d-viewer", "d-gone", 1, daysBefore(NOW, 91));
    await profileEvents("d-viewer", "d-future", 1, hoursBefore(NOW, -1));

    await runFor("d-viewer", { minInteractions: 3 });
    const p = await db.prisma.userAffinityProfile.findUniqueOrThrow({
      where: { userId: "d-viewer" },
    });
    expect(p.interactionCount).toBe(3);
    const creators = p.topCreators as { userId: string; weight: number }[];
    const weights = Object.fromEntries(creators.map((c) => [c.userId, c.weight]));
    expect(Object.keys(weights).sort()).toEqual(["d-edge", "d-fresh", "d-old"]);
    expect(weights["d-old"]).toBeCloseTo(0.95 ** 10, 6);
    expect(weights["d-edge"]).toBeCloseTo(0.95 ** 89.9, 6);
  });

  it("ranks a creator few engage with above one everyone engages with (TF-IDF)", async () => {
    await users("t-viewer", "t-popular", "t-niche", "t-fan1", "t-fan2", "t-fan3", "t-fan4");
    await profileEvents("t-viewer", "t-popular", 2, NOW);
    await profileEvents("t-viewer", "t-niche", 2, NOW);
    for (const fan of ["t-fan1", "t-fan2", "t-fan3", "t-fan4"])
      await profileEvents(fan, "t-popular", 1, NOW);

    await runFor("t-viewer", { minInteractions: 4 });
    const population = await db.prisma.user.count({ where: { deletedAt: null } });
    const p = await profileOf("t-viewer");
    expect(p?.topCreators).toEqual([
      { userId: "t-niche", weight: 1 },
      {
        userId: "t-popular",
        weight: expect.closeTo(Math.log(1 + population / 5) / Math.log(1 + population), 6),
      },
    ]);
  });

  it("never lists a blocked, reported, hidden or deleted creator; hides weigh on topics", async () => {
    await users("n-viewer", "n-kept", "n-blocked", "n-reported", "n-hidden");
    await f.user({ id: "n-deleted", deletedAt: daysBefore(NOW, 1) });
    for (const [i, topic] of [
      "music",
      "music",
      "music",
      "music",
      "music",
      "art",
      "art",
      "art",
      "art",
    ].entries()) {
      await post(`n-k${i}`, "n-kept", "PHOTO", [topic]);
      await f.event({ actorId: "n-viewer", type: "LIKE", postId: `n-k${i}`, at: NOW });
    }
    await post("n-h1", "n-hidden", "TEXT", ["music"]);
    for (const creator of ["n-blocked", "n-reported", "n-hidden", "n-deleted"]) {
      await profileEvents("n-viewer", creator, 3, NOW);
    }
    await profileEvents("n-viewer", "n-blocked", 1, daysBefore(NOW, 400), "BLOCK");
    await profileEvents("n-viewer", "n-reported", 1, daysBefore(NOW, 2), "REPORT");
    await f.event({ actorId: "n-viewer", type: "HIDE", postId: "n-h1", at: NOW });

    await runFor("n-viewer");
    const p = await profileOf("n-viewer");
    expect(p?.topCreators).toEqual([{ userId: "n-kept", weight: 1 }]);
    // music: 5 likes − 3 for the fresh hide = 2; art: 4 likes.
    expect(p?.topTopics).toEqual([
      { tag: "art", weight: 1 },
      { tag: "music", weight: 0.5 },
    ]);
    expect(p?.interactionCount).toBe(9 + 12);
  });

  it("gives no profile below minInteractions and removes one when the user falls below", async () => {
    await users("c-cold", "c-warm", "c-creator");
    await profileEvents("c-cold", "c-creator", 9, NOW);
    await profileEvents("c-warm", "c-creator", 5, daysBefore(NOW, 1));
    await profileEvents("c-warm", "c-creator", 5, daysBefore(NOW, 80));

    expect((await runFor("c-cold")).result).toMatchObject({
      profiles: 0,
      withoutProfile: 1,
      removed: 0,
    });
    expect(await profileOf("c-cold")).toBeNull();
    await runFor("c-warm");
    expect((await profileOf("c-warm"))?.interactionCount).toBe(10);

    const later = new Date(NOW.getTime() + 15 * 86_400_000); // the 80-day-old actions leave the window
    expect((await runFor("c-warm", {}, later)).result).toMatchObject({ profiles: 0, removed: 1 });
    expect(await profileOf("c-warm")).toBeNull();
  });

  it("reads each creator's audience once, even for batches in flight together", async () => {
    await users("b-creator", "b-fan1", "b-fan2", "b-gone");
    await db.prisma.user.update({ where: { id: "b-gone" }, data: { deactivatedAt: NOW } });
    await profileEvents("b-fan1", "b-creator", 2, NOW);
    await profileEvents("b-fan2", "b-creator", 1, NOW);
    await profileEvents("b-fan2", "b-creator", 1, daysBefore(NOW, 95)); // outside the window
    const window = { start: daysBefore(NOW, 90), now: NOW };
    const book = new CreatorBook((ids) => aggregateCreators(db.prisma, ids, window), 100);
    const [first, second] = await Promise.all([
      book.load(["b-creator", "b-gone"]),
      book
        .load(["b-creator"])
        .then((events) => ({ events, audience: book.audienceOf("b-creator") })),
    ]);
    expect(first).toBe(3);
    expect(second).toEqual({ events: 0, audience: 2 });
    expect(book.isAvailable("b-creator")).toBe(true);
    expect(book.isAvailable("b-gone")).toBe(false);
  });

  it("computes without writing in a dry run, and fails for an unknown user", async () => {
    await users("r-viewer", "r-creator");
    await profileEvents("r-viewer", "r-creator", 12, NOW);
    const dry = await runForTest(db, affinityJob, NOW, { userId: "r-viewer", dryRun: true });
    expect(dry.result).toMatchObject({ dryRun: true, profiles: 1, upserted: 0 });
    expect((dry.result as { preview: { userId: string }[] }).preview[0]?.userId).toBe("r-viewer");
    expect(await profileOf("r-viewer")).toBeNull();

    const unknown = await runJob(db, affinityJob, { asOf: NOW, options: { userId: "r-nobody" } });
    expect(unknown.status).toBe("FAILED");
    expect(unknown.error).toContain("r-nobody");
  });
});

describe(`affinity job: full and incremental runs (${testDatabaseKind()})`, () => {
  open();
  const t1 = hoursBefore(NOW, -1);
  const t2 = hoursBefore(NOW, -2);
  const runAt = (now: Date, options = {}, overrides = {}) =>
    runForTest(db, affinityJob, now, options, overrides);
  const computedAt = async () =>
    Object.fromEntries(
      (await db.prisma.userAffinityProfile.findMany()).map((p) => [
        p.userId,
        p.computedAt.toISOString(),
      ]),
    );

  beforeAll(async () => {
    await users("i-active", "i-almost", "i-steady", "i-late", "i-stale", "i-creator");
    await f.user({ id: "i-deleted", deletedAt: daysBefore(NOW, 1) });
    await profileEvents("i-deleted", "i-creator", 12, daysBefore(NOW, 3));
    await profileEvents("i-active", "i-creator", 12, daysBefore(NOW, 3));
    await profileEvents("i-steady", "i-creator", 12, daysBefore(NOW, 3));
    await profileEvents("i-almost", "i-creator", 9, daysBefore(NOW, 3));
    await profileEvents("i-late", "i-creator", 9, daysBefore(NOW, 3));
    // A profile left over from earlier: its user has no actions in the window any more.
    await db.prisma.userAffinityProfile.create({
      data: {
        userId: "i-stale",
        topCreators: [],
        topTopics: [],
        contentTypePrefs: {},
        computedAt: daysBefore(NOW, 1),
        algorithmVersion: "affinity-v0",
      },
    });
  });

  it("full: writes a profile per user with enough history and removes the rest", async () => {
    const summary = await runAt(NOW, { mode: "full" });
    // The deleted user is not eligible: left out before scoring and counted by reason.
    expect(summary.result).toMatchObject({
      mode: "full",
      users: 6,
      profiles: 2,
      upserted: 2,
      removed: 1,
    });
    expect(Object.keys(await computedAt()).sort()).toEqual(["i-active", "i-steady"]);
    expect(summary.metadata).toMatchObject({
      rowsWritten: 3,
      overBudget: false,
      excluded: { deleted: 1 },
    });
  });

  it("full: is idempotent at the same clock, whatever the batch size and concurrency", async () => {
    const all = () => db.prisma.userAffinityProfile.findMany({ orderBy: { userId: "asc" } });
    const before = await all();
    await runAt(NOW, { mode: "full" });
    expect(await all()).toEqual(before);
    const batched = await runAt(NOW, { mode: "full" }, { batchSize: 1, concurrency: 3 });
    expect(batched.result).toMatchObject({ users: 6, profiles: 2 });
    expect(await all()).toEqual(before);
  });

  it("incremental: does nothing when nobody acted since the last run", async () => {
    const summary = await runAt(NOW, { mode: "incremental" });
    expect(summary.result).toMatchObject({ mode: "incremental", users: 0, upserted: 0 });
    expect(summary.metadata).toMatchObject({ rowsScanned: 0, rowsWritten: 0 });
  });

  it("incremental: picks profiles with enough new actions and users newly above minInteractions", async () => {
    await profileEvents("i-active", "i-creator", 3, t1); // 3 new actions: recomputed (threshold 3)
    await profileEvents("i-steady", "i-creator", 2, t1); // 2 new actions: left alone
    await profileEvents("i-almost", "i-creator", 1, t1); // 9 → 10 actions: gets a profile
    await profileEvents("i-deleted", "i-creator", 1, t1); // deleted: never selected
    const summary = await runAt(t1, { mode: "incremental" }, { incrementalMinNewActions: 3 });
    expect(summary.result).toMatchObject({ users: 2, profiles: 2, upserted: 2 });
    expect(await computedAt()).toEqual({
      "i-active": t1.toISOString(),
      "i-almost": t1.toISOString(),
      "i-steady": NOW.toISOString(),
    });
  });

  it("incremental: a one-user or dry run does not hide newer actions from the next run", async () => {
    await profileEvents("i-late", "i-creator", 1, hoursBefore(t2, 0.5)); // 9 → 10 actions
    await runAt(t2, { userId: "i-active" });
    await runAt(t2, { mode: "incremental", dryRun: true });
    expect(await profileOf("i-late")).toBeNull();
    const summary = await runAt(t2, { mode: "incremental" }, { incrementalMinNewActions: 3 });
    expect(summary.result).toMatchObject({ users: 1, profiles: 1 });
    expect((await profileOf("i-late"))?.computedAt).toEqual(t2);
  });

  it("incremental: recomputes a profile after 100 new actions by default", async () => {
    const t3 = hoursBefore(NOW, -3);
    await profileEvents("i-steady", "i-creator", 97, hoursBefore(t3, 0.5)); // 2 + 97 = 99 since t0
    expect((await runAt(t3, { mode: "incremental" })).result).toMatchObject({ users: 0 });
    const t4 = hoursBefore(NOW, -4);
    await profileEvents("i-steady", "i-creator", 1, hoursBefore(t4, 0.5));
    expect((await runAt(t4, { mode: "incremental" })).result).toMatchObject({ users: 1 });
    expect((await profileOf("i-steady"))?.interactionCount).toBe(12 + 100);
  });
});
