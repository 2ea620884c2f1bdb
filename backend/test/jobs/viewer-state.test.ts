import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { rankFeed } from "@feed-jobs/feed";
import { runJob } from "@feed-jobs/jobs";
import { describe, expect, it } from "vitest";
import { viewerStateJob } from "../../src/jobs/viewerState/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore, type EventFixture, hoursBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

const NOW = new Date("2026-03-01T12:00:00Z");

let db: Database;
let f: Fixtures;
useTestDatabase(NOW, "file", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const users = async (...ids: string[]) => {
  for (const id of ids) await f.user({ id });
};
const stateOf = (viewerUserId: string) =>
  db.prisma.viewerFeedState.findUnique({ where: { viewerUserId } });
const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();
const runFor = (userId: string, overrides: Record<string, unknown> = {}, now = NOW) =>
  runForTest(db, viewerStateJob, now, { userId }, overrides);
const event = (e: EventFixture) => f.event(e);

describe(`viewer-state job (${testDatabaseKind()})`, () => {
  it("excludes creators the viewer blocked, reported or hid, and those who blocked or reported the viewer", async () => {
    await users(
      "x-viewer",
      "x-blocked",
      "x-reported",
      "x-post-reported",
      "x-hidden",
      "x-post-hidden",
    );
    await users("x-blocker", "x-reporter", "x-hider", "x-liked", "x-later");
    await f.post({ id: "x-p1", authorId: "x-post-reported", createdAt: daysBefore(NOW, 400) });
    await f.post({ id: "x-p2", authorId: "x-post-hidden", createdAt: daysBefore(NOW, 2) });
    const long = daysBefore(NOW, 300);
    await event({ actorId: "x-viewer", type: "BLOCK", targetUserId: "x-blocked", at: long });
    await event({ actorId: "x-viewer", type: "REPORT", targetUserId: "x-reported", at: long });
    await event({ actorId: "x-viewer", type: "REPORT", postId: "x-p1", at: long });
    await event({ actorId: "x-viewer", type: "HIDE", targetUserId: "x-hidden", at: long });
    await event({ actorId: "x-viewer", type: "HIDE", postId: "x-p2", at: daysBefore(NOW, 1) });
    await event({ actorId: "x-viewer", type: "LIKE", targetUserId: "x-liked", at: long });
    await event({ actorId: "x-viewer", type: "BLOCK", targetUserId: "x-viewer", at: long });
    await event({
      actorId: "x-viewer",
      type: "BLOCK",
      targetUserId: "x-later",
      at: hoursBefore(NOW, -1),
    });
    await event({ actorId: "x-blocker", type: "BLOCK", targetUserId: "x-viewer", at: long });
    await event({ actorId: "x-reporter", type: "REPORT", targetUserId: "x-viewer", at: long });
    await event({ actorId: "x-hider", type: "HIDE", targetUserId: "x-viewer", at: long });
    const summary = await runFor("x-viewer");
    const state = await stateOf("x-viewer");
    expect(summary.result).toMatchObject({
      mode: "user",
      viewers: 1,
      preview: [
        { viewerId: "x-viewer", excludedCreators: 6, hiddenPosts: 1, hiddenPostIds: ["x-p2"] },
      ],
    });
    expect(sorted(state?.excludedCreatorIds)).toEqual(
      ["x-blocked", "x-blocker", "x-hidden", "x-post-reported", "x-reported", "x-reporter"].sort(),
    );
    expect(state?.hiddenPostIds).toEqual(["x-p2"]);
    expect(state).toMatchObject({
      computedAt: NOW,
      algorithmVersion: viewerStateJob.algorithmVersion,
    });
  });

  it("keeps seen and hidden posts of the window only, seen latest first and capped", async () => {
    await users("s-viewer", "s-author");
    for (const id of ["s-old", "s-a", "s-b", "s-c", "s-shown"]) {
      await f.post({ id, authorId: "s-author", createdAt: daysBefore(NOW, 20) });
    }
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-old", at: daysBefore(NOW, 8) });
    await event({ actorId: "s-viewer", type: "HIDE", postId: "s-old", at: daysBefore(NOW, 8) });
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-a", at: hoursBefore(NOW, 30) });
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-b", at: hoursBefore(NOW, 20) });
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-a", at: hoursBefore(NOW, 2) });
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-c", at: hoursBefore(NOW, 10) });
    await event({
      actorId: "s-viewer",
      type: "IMPRESSION",
      postId: "s-shown",
      at: hoursBefore(NOW, 1),
    });
    const summary = await runFor("s-viewer");
    let state = await stateOf("s-viewer");
    expect(state?.seenPostIds).toEqual(["s-a", "s-c", "s-b"]);
    expect(state?.hiddenPostIds).toEqual([]);
    expect(summary.metadata.rowsScanned).toBe(5);
    await runFor("s-viewer", { maxSeenPosts: 2 });
    state = await stateOf("s-viewer");
    expect(state?.seenPostIds).toEqual(["s-a", "s-c"]);
    await runFor("s-viewer", {}, new Date(NOW.getTime() + 7 * 86_400_000 - 5 * 3_600_000));
    expect((await stateOf("s-viewer"))?.seenPostIds).toEqual(["s-a"]);
  });

  it("never lets the seen window fall short of the feed's candidate window", async () => {
    await users("w-viewer");
    await expect(
      runJob(db, viewerStateJob, { asOf: NOW, overrides: { windowDays: 3 } }),
    ).rejects.toThrow(/windowDays/);
  });

  it("recomputes only viewers with a new signal in an incremental run", async () => {
    // The first test's block at NOW + 1 h stays in the future of these runs.
    const later = new Date(NOW.getTime() + 30 * 60_000);
    const between = new Date(NOW.getTime() + 10 * 60_000);
    const full = await runForTest(db, viewerStateJob, NOW, { mode: "full" });
    expect(full.result).toMatchObject({ mode: "full" });
    const idle = await runForTest(db, viewerStateJob, later, { mode: "incremental" });
    expect(idle.result).toMatchObject({ mode: "incremental", viewers: 0 });

    await users("i-new");
    await event({ actorId: "s-viewer", type: "SEEN", postId: "s-b", at: between });
    await event({ actorId: "x-liked", type: "BLOCK", targetUserId: "x-viewer", at: between });
    await event({ actorId: "w-viewer", type: "LIKE", postId: "s-b", at: between });
    const busy = await runForTest(db, viewerStateJob, later, { mode: "incremental" });
    // The new user, the new "seen", and both sides of the new block; a like changes nothing.
    expect(busy.result).toMatchObject({ viewers: 4 });
    expect((await stateOf("i-new"))?.computedAt).toEqual(later);
    expect((await stateOf("s-viewer"))?.seenPostIds[0]).toBe("s-b");
    expect((await stateOf("x-liked"))?.excludedCreatorIds).toEqual(["x-viewer"]);
    expect((await stateOf("x-viewer"))?.excludedCreatorIds).toContain("x-liked");
    expect((await stateOf("w-viewer"))?.computedAt).toEqual(NOW);
  });

  it("writes nothing in a dry run, and skips deactivated viewers in a full run", async () => {
    await f.user({ id: "d-away", deactivatedAt: daysBefore(NOW, 1) });
    await users("d-viewer");
    const dry = await runForTest(db, viewerStateJob, NOW, { mode: "full", dryRun: true });
    expect(dry.result).toMatchObject({ dryRun: true });
    expect(await stateOf("d-viewer")).toBeNull();
    await runForTest(db, viewerStateJob, NOW, { mode: "full" });
    expect(await stateOf("d-viewer")).not.toBeNull();
    expect(await stateOf("d-away")).toBeNull();
  });

  it("fails a run for an unknown --user-id", async () => {
    const summary = await runJob(db, viewerStateJob, { asOf: NOW, options: { userId: "nobody" } });
    expect(summary).toMatchObject({ status: "FAILED", error: 'no user with id "nobody"' });
  });

  it("feeds rankFeed: excluded creators' and hidden posts never appear, seen posts rank lower", async () => {
    await users("e-viewer", "e-blocked", "e-friend");
    const posts = ["e-by-blocked", "e-hidden", "e-seen", "e-fresh"];
    for (const [i, id] of posts.entries()) {
      const authorId = id === "e-by-blocked" ? "e-blocked" : "e-friend";
      await f.post({ id, authorId, createdAt: hoursBefore(NOW, 3 + i) });
      await db.prisma.postFeatures.create({
        data: { postId: id, topics: [], quality: 0.8, inputHash: "t", algorithmVersion: "t" },
      });
    }
    await event({
      actorId: "e-viewer",
      type: "BLOCK",
      targetUserId: "e-blocked",
      at: hoursBefore(NOW, 1),
    });
    await event({ actorId: "e-viewer", type: "HIDE", postId: "e-hidden", at: hoursBefore(NOW, 1) });
    await event({ actorId: "e-viewer", type: "SEEN", postId: "e-seen", at: hoursBefore(NOW, 1) });
    await runFor("e-viewer");
    const page = await rankFeed(db, "e-viewer", { now: NOW });
    const ids = page.items.map((i) => i.postId).filter((id) => id.startsWith("e-"));
    expect(ids).toEqual(["e-fresh", "e-seen"]);
    expect(page.viewerStateComputedAt).toEqual(NOW);
  });
});
