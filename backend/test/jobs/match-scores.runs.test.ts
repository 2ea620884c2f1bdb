import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { ConfigError, runJob } from "@feed-jobs/jobs";
import { describe, expect, it } from "vitest";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { type Fixtures, useTestDatabase } from "../support/database.ts";
import { runForTest } from "../support/run.ts";
import {
  candidatesOf,
  computedAtByViewer,
  hoursAfter,
  kmNorth,
  listOf,
  man,
  now,
  quiz16,
  woman,
} from "./match-scores.helpers.ts";

let db: Database;
let f: Fixtures;

useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const run = (at: Date, options = {}, overrides: Record<string, unknown> = {}) =>
  runForTest(db, matchScoresJob, at, options, overrides);
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const MILE_KM = 1.609344;

describe(`match-scores runs on ${testDatabaseKind()}`, () => {
  it("incremental: recomputes only what changed, then does nothing", async () => {
    for (const id of ["w-profile", "w-near-move", "w-far-move", "w-quiz", "w-prefs", "w-quiet"]) {
      await woman(f, id, { quiz: [1, 0, 1, 0] });
    }
    await man(f, "m-sf");
    await woman(f, "w-holder", NEW_YORK);
    await man(f, "m-changed", NEW_YORK);
    await woman(f, "w-signal", LONDON);
    await man(f, "m-blocked", LONDON);
    await run(now, { mode: "full" });

    const t1 = hoursAfter(now, 1);
    const user = (id: string, data: object) => db.prisma.user.update({ where: { id }, data });
    await user("w-profile", { profileUpdatedAt: t1 });
    await user("w-near-move", { ...kmNorth(10 * MILE_KM), locationUpdatedAt: t1 });
    await user("w-far-move", { ...kmNorth(60 * MILE_KM), locationUpdatedAt: t1 });
    await db.prisma.quizResponse.update({
      where: { userId: "w-quiz" },
      data: { answers: [0, 1, 0, 1], updatedAt: t1 },
    });
    await db.prisma.matchPreference.update({
      where: { userId: "w-prefs" },
      data: { maxAge: 40, updatedAt: t1 },
    });
    await user("m-changed", { profileUpdatedAt: t1 });
    await f.event({ actorId: "w-signal", type: "BLOCK", targetUserId: "m-blocked", at: t1 });

    const t2 = hoursAfter(now, 2);
    const summary = await run(t2, { mode: "incremental" });
    expect(summary.metadata.selection).toEqual({
      viewers: 9,
      reasons: { inputs_changed: 4, moved: 1, candidate_changed: 2, negative_signal: 2 },
      changedCandidates: 5,
    });
    const recomputed = Object.entries(await computedAtByViewer(db))
      .filter(([, at]) => at === t2.toISOString())
      .map(([id]) => id);
    expect(recomputed).toEqual(
      [
        "m-blocked",
        "m-changed",
        "m-sf",
        "w-far-move",
        "w-holder",
        "w-prefs",
        "w-profile",
        "w-quiz",
        "w-signal",
      ].sort(),
    );
    expect(await candidatesOf(db, "w-signal")).toEqual([]);
    expect(await candidatesOf(db, "m-sf")).not.toContain("w-far-move");

    const again = await run(t2, { mode: "incremental" });
    expect(again.result).toEqual({
      mode: "incremental",
      viewers: 0,
      retiredViewers: 0,
      nothingToDo: true,
    });
    expect(again.metadata.rowsWritten).toBe(0);
  });

  it("incremental: recomputes lists older than the TTL (24 h by default, 7 days at most)", async () => {
    await woman(f, "w");
    await man(f, "m");
    await run(now, { mode: "full" });
    const quiet = await run(hoursAfter(now, 23), { mode: "incremental" });
    expect(quiet.result).toMatchObject({ viewers: 0, nothingToDo: true });
    const longer = await run(hoursAfter(now, 25), { mode: "incremental" }, { ttlHours: 48 });
    expect(longer.result).toMatchObject({ viewers: 0 });
    const expired = await run(hoursAfter(now, 25), { mode: "incremental" });
    expect(expired.metadata.selection).toMatchObject({ viewers: 2, reasons: { expired: 2 } });
    await expect(
      runJob(db, matchScoresJob, { asOf: now, overrides: { ttlHours: 169 } }),
    ).rejects.toThrow(ConfigError);
  });

  it("--user-id recomputes that viewer only, and removes the list of an ineligible one", async () => {
    await woman(f, "w1");
    await woman(f, "w2");
    await man(f, "m");
    await run(now, { mode: "full" });
    const t1 = hoursAfter(now, 1);
    const one = await run(t1, { userId: "w1" });
    expect(one.result).toMatchObject({ mode: "user", viewers: 1, lists: 1 });
    expect(await computedAtByViewer(db)).toEqual({
      m: now.toISOString(),
      w1: t1.toISOString(),
      w2: now.toISOString(),
    });

    await db.prisma.user.update({ where: { id: "w2" }, data: { deactivatedAt: t1 } });
    const gone = await run(hoursAfter(now, 2), { userId: "w2" });
    expect(gone.result).toMatchObject({ viewers: 0, retiredViewers: 1 });
    expect(await listOf(db, "w2")).toEqual([]);
    expect(Object.keys(await computedAtByViewer(db))).toEqual(["m", "w1"]);

    const unknown = await runJob(db, matchScoresJob, { asOf: t1, options: { userId: "nobody" } });
    expect(unknown).toMatchObject({ status: "FAILED", error: 'no user with id "nobody"' });
  });

  it("retires viewers who left, and records viewers left with no candidate", async () => {
    await woman(f, "w");
    await man(f, "m");
    await run(now, { mode: "full" });
    await db.prisma.user.update({
      where: { id: "m" },
      data: { deactivatedAt: hoursAfter(now, 1) },
    });
    const t2 = hoursAfter(now, 2);
    const summary = await run(t2, { mode: "incremental" });
    expect(summary.result).toMatchObject({ retiredViewers: 1, viewers: 1, emptyLists: 1 });
    expect(await db.prisma.matchScore.count()).toBe(0);
    expect(await db.prisma.matchScoreViewer.findMany()).toEqual([
      expect.objectContaining({ viewerUserId: "w", computedAt: t2, candidateCount: 0 }),
    ]);
    const again = await run(hoursAfter(now, 3), { mode: "incremental" });
    expect(again.result).toMatchObject({ viewers: 0, nothingToDo: true });
  });

  it("replaces a viewer's list in place atomically: a failed write leaves the old list whole", async () => {
    for (const id of ["w1", "w2", "w3"]) await woman(f, id, { quiz: [1, 0, 1, 0] });
    for (const id of ["m1", "m2", "m3"]) await man(f, id, { quiz: [1, 0, 0.5, 0.5] });
    await run(now, { mode: "full" });
    const before = await listOf(db, "w2");
    expect(before).toHaveLength(3);

    // The insert of w2's second candidate fails mid-statement, as a crash would.
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_w2() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.viewer_user_id = 'w2' AND NEW.candidate_user_id = 'm2' THEN
          RAISE EXCEPTION 'disk full';
        END IF;
        RETURN NEW;
      END $$`);
    await db.prisma.$executeRawUnsafe(
      "CREATE TRIGGER fail_w2 BEFORE INSERT ON match_scores FOR EACH ROW EXECUTE FUNCTION fail_w2()",
    );
    // ALWAYS: the embedded database writes with session_replication_role = replica.
    await db.prisma.$executeRawUnsafe("ALTER TABLE match_scores ENABLE ALWAYS TRIGGER fail_w2");
    // Past the TTL, an incremental run recomputes every list, in place, a batch at a time.
    const t1 = hoursAfter(now, 25);
    const failed = await runJob(db, matchScoresJob, {
      asOf: t1,
      options: { mode: "incremental" },
      overrides: { batchSize: 1, quizWeight: 1, interestWeight: 0 },
    });
    expect(failed).toMatchObject({ status: "FAILED", error: expect.stringMatching(/disk full/) });
    expect(await listOf(db, "w2")).toEqual(before);
    const rows = await db.prisma.matchScore.findMany({
      where: { viewerUserId: { in: ["w1", "w2"] } },
    });
    expect(
      rows
        .filter((r) => r.viewerUserId === "w1")
        .every((r) => r.computedAt.getTime() === t1.getTime()),
    ).toBe(true);
    expect(
      rows
        .filter((r) => r.viewerUserId === "w2")
        .every((r) => r.computedAt.getTime() === now.getTime()),
    ).toBe(true);
    expect(await computedAtByViewer(db)).toMatchObject({
      w1: t1.toISOString(),
      w2: now.toISOString(),
      w3: now.toISOString(),
    });
  });

  it("rebuilds on a full run: a run that fails keeps every old list and leaves no copy", async () => {
    for (const id of ["w1", "w2", "w3"]) await woman(f, id, { quiz: [1, 0, 1, 0] });
    for (const id of ["m1", "m2", "m3"]) await man(f, id, { quiz: [1, 0, 0.5, 0.5] });
    await run(now, { mode: "full" });
    const before = await db.prisma.matchScore.findMany({ orderBy: [{ viewerUserId: "asc" }] });
    expect(before.length).toBeGreaterThan(6);
    // The rebuild copy inherits this check: w2's new list cannot be written, mid-run.
    await db.prisma.$executeRawUnsafe(
      `ALTER TABLE match_scores ADD CONSTRAINT no_w2 CHECK (viewer_user_id <> 'w2') NOT VALID`,
    );
    const failed = await runJob(db, matchScoresJob, {
      asOf: hoursAfter(now, 1),
      options: { mode: "full" },
      overrides: { batchSize: 1 },
    });
    expect(failed).toMatchObject({ status: "FAILED", error: expect.stringMatching(/no_w2/) });
    expect(await db.prisma.matchScore.findMany({ orderBy: [{ viewerUserId: "asc" }] })).toEqual(
      before,
    );
    expect(Object.values(await computedAtByViewer(db))).toEqual(Array(6).fill(now.toISOString()));
    const copies = await db.prisma.$queryRaw<unknown[]>`
      SELECT 1 FROM pg_class WHERE relname LIKE 'match_score%rebuild'`;
    expect(copies).toEqual([]);

    await db.prisma.$executeRawUnsafe("ALTER TABLE match_scores DROP CONSTRAINT no_w2");
    const rebuilt = await run(hoursAfter(now, 2), { mode: "full" });
    expect(rebuilt.metadata).toMatchObject({ writes: "rebuild" });
    expect(await db.prisma.matchScore.count()).toBe(before.length);
    expect(Object.values(await computedAtByViewer(db))).toEqual(
      Array(6).fill(hoursAfter(now, 2).toISOString()),
    );
  });
  it("narrows large pools by quiz neighbours, the same with pgvector as with the exact scan", async () => {
    const interests = ["art", "hiking", "music", "yoga"];
    await woman(f, "w", { quiz: quiz16(0.9), interests });
    for (let i = 0; i < 24; i++) {
      const id = `m${String(i).padStart(2, "0")}`;
      await man(f, id, { quiz: quiz16(0.9, i * 0.02), interests: ["hiking"], ...kmNorth(i + 1) });
    }
    for (let i = 0; i < 4; i++) await man(f, `m-noquiz-${i}`, kmNorth(2 * i));
    await man(f, "m-short-quiz", { quiz: [1, 0, 1, 0] });
    // The nearest quizzes, but they want someone younger: filtered before narrowing, not after.
    for (let i = 0; i < 3; i++) {
      await man(f, `m-picky-${i}`, { quiz: quiz16(0.9), preference: { maxAge: 25 } });
    }
    // The best match overall, but with the farthest quiz: narrowing to 8 leaves him out.
    await man(f, "m-hero", { quiz: quiz16(0.9, 1), interests });
    const top = async (candidateSearch: string) => {
      const summary = await run(now, { userId: "w" }, { poolCap: 8, topK: 6, candidateSearch });
      expect(summary.metadata).toMatchObject({ narrowed: 1 });
      return { search: summary.metadata.candidateSearch, list: await listOf(db, "w") };
    };
    const exact = await top("exact");
    expect(exact.search).toBe("exact");
    expect(exact.list).toHaveLength(6);
    if (await db.hasVector()) {
      const vector = await top("auto");
      expect(vector.search).toBe("pgvector");
      expect(vector.list).toEqual(exact.list);
    }
    expect(exact.list.map((r) => r.candidate)).not.toContain("m-hero");
    expect(exact.list.map((r) => r.candidate)).toEqual(["m00", "m01", "m02", "m03", "m04", "m05"]);
    // Narrowing mattered: scoring the whole pool puts him first.
    await run(now, { userId: "w" }, { topK: 6 });
    expect((await listOf(db, "w"))[0]?.candidate).toBe("m-hero");
  });
});
