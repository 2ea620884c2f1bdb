import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { daysBefore } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";
import {
  candidatesOf,
  hoursAfter,
  kmNorth,
  listOf,
  man,
  now,
  woman,
} from "./match-scores.helpers.ts";

let db: Database;
let f: Fixtures;

// A fresh database per test: a run scores every eligible user, so tests must not share rows.
useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const full = (overrides: Record<string, unknown> = {}) =>
  runForTest(db, matchScoresJob, now, { mode: "full" }, overrides);

describe(`match-scores on ${testDatabaseKind()}`, () => {
  it("ranks candidates best first, with reasons, version and time", async () => {
    await woman(f, "w", { quiz: [1, 0, 1, 0], interests: ["hiking", "music", "yoga"] });
    await man(f, "m-best", { quiz: [1, 0, 1, 0], interests: ["hiking", "music"] });
    await man(f, "m-mid", { quiz: [1, 0.5, 0.5, 0], interests: ["hiking"], ...kmNorth(20) });
    await man(f, "m-far", { quiz: [0, 1, 0, 1], interests: ["chess"], ...kmNorth(60) });
    const summary = await full();
    expect(summary.result).toMatchObject({ mode: "full", viewers: 4, lists: 4, matchScores: 6 });

    const list = await listOf(db, "w");
    expect(list.map((r) => r.candidate)).toEqual(["m-best", "m-mid", "m-far"]);
    for (const r of list) expect(r.score).toBeGreaterThan(0);
    expect(list[0]?.score).toBeLessThanOrEqual(1);
    expect(list[0]?.reasons).toEqual([
      "quiz_compatible:100",
      "shared_interest:hiking",
      "shared_interest:music",
      "nearby_km:0",
      "same_goal:long_term",
    ]);
    // One shared tag of three (Jaccard 1/3) weighs less than the same goal here.
    expect(list[1]?.reasons).toEqual([
      "quiz_compatible:85",
      "same_goal:long_term",
      "shared_interest:hiking",
    ]);
    expect(list[2]?.reasons).toEqual(["same_goal:long_term"]);
    const row = await db.prisma.matchScore.findFirstOrThrow({ where: { viewerUserId: "w" } });
    expect(row).toMatchObject({ computedAt: now, algorithmVersion: "match-v2" });

    await full({ topK: 2 });
    expect(await candidatesOf(db, "w")).toEqual(["m-best", "m-mid"]);
  });

  it("applies every hard filter, both ways, before scoring", async () => {
    await woman(f, "w", {
      attributes: ["dog"],
      preference: { minAge: 25, maxAge: 35, maxDistanceKm: 50, dealbreakers: ["smokes"] },
    });
    const twin = { age: 31, quiz: [1, 0, 1, 0], interests: ["hiking"] };
    await man(f, "m-ok", twin);
    await woman(f, "w-other", twin); // seeks men, as the viewer does: not each other
    await man(f, "m-seeks-men", { ...twin, gendersSought: ["MAN"] });
    await man(f, "m-too-old", { ...twin, age: 36 });
    await man(f, "m-wants-younger", { ...twin, preference: { minAge: 18, maxAge: 29 } });
    await man(f, "m-too-far", { ...twin, ...kmNorth(60) });
    await man(f, "m-smokes", { ...twin, attributes: ["smokes"] });
    await man(f, "m-no-dogs", { ...twin, preference: { dealbreakers: ["dog"] } });
    await man(f, "m-inactive", { ...twin, lastActiveAt: daysBefore(now, 31) });
    await man(f, "m-deactivated", { ...twin, deactivatedAt: daysBefore(now, 1) });
    await man(f, "m-deleted", { ...twin, deletedAt: daysBefore(now, 1) });
    await man(f, "m-minor", { ...twin, age: 17 });
    await man(f, "m-no-birth-date", twin);
    await db.prisma.user.update({ where: { id: "m-no-birth-date" }, data: { birthDate: null } });
    await woman(f, "w-minor", { age: 17, preference: { minAge: 16, maxAge: 40 } });
    await full();

    expect(await candidatesOf(db, "w")).toEqual(["m-ok"]);
    expect(await candidatesOf(db, "m-ok")).toContain("w");
    const viewers = (await db.prisma.matchScoreViewer.findMany()).map((v) => v.viewerUserId);
    for (const ineligible of ["m-inactive", "m-deactivated", "m-deleted", "m-minor", "w-minor"]) {
      expect(viewers).not.toContain(ineligible);
    }
    const minorsListed = await db.prisma.matchScore.count({
      where: { candidateUserId: { in: ["m-minor", "w-minor", "m-no-birth-date"] } },
    });
    expect(minorsListed).toBe(0);
  });

  it("never lists a blocked or reported pair, in either direction, however good the match", async () => {
    const twin = { quiz: [1, 0, 1, 0], interests: ["hiking", "music"] };
    await woman(f, "w", twin);
    for (let i = 1; i <= 7; i++) await man(f, `m${i}`, twin);
    await f.post({ id: "post-m5", authorId: "m5", createdAt: daysBefore(now, 3) });
    await f.post({ id: "post-w", authorId: "w", createdAt: daysBefore(now, 3) });
    const at = daysBefore(now, 1);
    await f.events([
      { actorId: "w", type: "BLOCK", targetUserId: "m1", at },
      { actorId: "m2", type: "BLOCK", targetUserId: "w", at },
      { actorId: "w", type: "REPORT", targetUserId: "m3", at },
      { actorId: "m4", type: "REPORT", targetUserId: "w", at },
      { actorId: "w", type: "REPORT", postId: "post-m5", at },
      { actorId: "m6", type: "REPORT", postId: "post-w", at },
      // After the run's clock: not seen yet.
      { actorId: "w", type: "BLOCK", targetUserId: "m7", at: hoursAfter(now, 1) },
    ]);
    await full();

    expect(await candidatesOf(db, "w")).toEqual(["m7"]);
    for (let i = 1; i <= 6; i++) expect(await candidatesOf(db, `m${i}`)).toEqual([]);
    expect(await candidatesOf(db, "m7")).toEqual(["w"]);
  });

  it("keeps a candidate the viewer hid, pushed down by a slowly decaying penalty", async () => {
    await woman(f, "w", { quiz: [1, 0, 1, 0], interests: ["hiking", "music"] });
    await man(f, "m-hidden", { quiz: [1, 0, 1, 0], interests: ["hiking", "music"] });
    await man(f, "m-good", { quiz: [1, 0.2, 0.8, 0], interests: ["hiking"] });
    await man(f, "m-post-hidden", { quiz: [1, 0, 1, 0], interests: ["hiking", "music"] });
    await f.post({ id: "post", authorId: "m-post-hidden", createdAt: daysBefore(now, 2) });
    await f.events([
      { actorId: "w", type: "HIDE", targetUserId: "m-hidden", at: daysBefore(now, 1) },
      // Hiding a post is about the content, not the person: no penalty here.
      { actorId: "w", type: "HIDE", postId: "post", at: daysBefore(now, 1) },
    ]);
    await full();

    const list = await listOf(db, "w");
    expect(list.map((r) => r.candidate)).toEqual(["m-post-hidden", "m-good", "m-hidden"]);
    expect(list[2]?.reasons.at(-1)).toBe("hidden_penalty:69");
    expect(list[2]?.score).toBeCloseTo((list[0]?.score ?? 0) * (1 - 0.7 * 0.5 ** (1 / 90)), 12);
    // The hide is the viewer's: the hidden candidate still sees her first.
    expect((await listOf(db, "m-hidden"))[0]).toMatchObject({ candidate: "w" });
  });

  it("scores missing inputs with less confidence instead of failing or matching perfectly", async () => {
    await woman(f, "w", { quiz: [1, 0, 1, 0], interests: ["hiking"] });
    await woman(f, "w-bare", {
      latitude: null,
      longitude: null,
      relationshipGoal: null,
      preference: null,
    });
    await man(f, "m-twin", { quiz: [1, 0, 1, 0], interests: ["hiking"] });
    await man(f, "m-bare", {
      latitude: null,
      longitude: null,
      relationshipGoal: null,
      preference: null,
    });
    await man(f, "m-elsewhere", { latitude: 40.7128, longitude: -74.006 });
    await full();

    const list = await listOf(db, "w");
    // No location is never "too far": m-bare is listed, m-elsewhere (New York) is not.
    expect(list.map((r) => r.candidate)).toEqual(["m-twin", "m-bare"]);
    expect(list[1]?.reasons).toEqual([]);
    expect(list[1]?.score).toBeGreaterThan(0);
    expect(list[1]?.score).toBeLessThan(0.5);
    // A viewer without a location sees candidates anywhere.
    expect(await candidatesOf(db, "w-bare")).toEqual(["m-twin", "m-bare", "m-elsewhere"].sort());
    const bareList = await listOf(db, "w-bare");
    for (const r of bareList) expect(r.score).toBeLessThan(0.5);
  });

  it("ignores engagement: likes, comments, views and messages change no MatchScore", async () => {
    await woman(f, "w1", { quiz: [1, 0, 1, 0], interests: ["hiking"] });
    await woman(f, "w2", { quiz: [0, 1, 0, 1], interests: ["music"], ...kmNorth(10) });
    await man(f, "m1", { quiz: [1, 0, 0.5, 0], interests: ["hiking", "music"] });
    await man(f, "m2", { quiz: [0.2, 0.8, 0.1, 1], interests: ["music"], ...kmNorth(30) });
    const snapshot = async () =>
      (
        await db.prisma.matchScore.findMany({
          orderBy: [{ viewerUserId: "asc" }, { candidateUserId: "asc" }],
        })
      ).map(({ viewerUserId, candidateUserId, score, reasons }) => ({
        viewerUserId,
        candidateUserId,
        score,
        reasons,
      }));
    await full();
    const before = await snapshot();
    expect(before).toHaveLength(8);

    await f.post({ id: "p-m2", authorId: "m2", createdAt: daysBefore(now, 2) });
    const at = daysBefore(now, 1);
    for (const type of ["IMPRESSION", "SEEN", "LIKE", "COMMENT", "SHARE"] as const) {
      await f.events([
        { actorId: "w1", type, postId: "p-m2", at },
        { actorId: "w2", type, postId: "p-m2", at },
      ]);
    }
    await f.events([
      { actorId: "w1", type: "PROFILE_VIEW", targetUserId: "m2", at },
      { actorId: "m1", type: "PROFILE_VIEW", targetUserId: "w2", at },
    ]);
    for (let i = 0; i < 20; i++) {
      await f.message({ id: `msg-${i}`, from: i % 2 ? "w1" : "m2", to: i % 2 ? "m2" : "w1", at });
    }
    await full();
    expect(await snapshot()).toEqual(before);
  });

  it("writes nothing on a dry run and prints a viewer's top", async () => {
    await woman(f, "w", { quiz: [1, 0, 1, 0] });
    await man(f, "m", { quiz: [1, 0, 1, 0] });
    const summary = await runForTest(db, matchScoresJob, now, { userId: "w", dryRun: true });
    expect(summary.result).toMatchObject({
      dryRun: true,
      viewers: 1,
      sample: { viewerId: "w", top: [{ id: "m" }] },
    });
    expect(await db.prisma.matchScore.count()).toBe(0);
    expect(await db.prisma.matchScoreViewer.count()).toBe(0);
  });
});
