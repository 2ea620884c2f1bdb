import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database.ts";
import { daysBefore } from "../support/fixtures.ts";
import {
  addUsers,
  type Fixtures,
  minutesBefore,
  now,
  run,
  storedKeys,
  storedPairs,
  suggest,
  topicPost,
} from "./compatibility.support.ts";

let db: Database;
let f: Fixtures;

// A fresh database per test: a full run rewrites every viewer's rows.
useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const users = (...ids: string[]) => addUsers(f, ...ids);

describe(`compatibility job: stale rows, idempotence, scope boundaries (${testDatabaseKind()})`, () => {
  async function relationships() {
    await users("ana", "ben", "cat");
    await f.message({ id: "m1", from: "ana", to: "ben", at: daysBefore(now, 60) });
    await f.message({ id: "m2", from: "ben", to: "ana", at: daysBefore(now, 59) });
    await topicPost(db, f, "p1", "cat", ["hiking", "coffee"]);
    await f.event({ actorId: "ana", type: "LIKE", postId: "p1", at: daysBefore(now, 10) });
    await f.event({ actorId: "ben", type: "COMMENT", postId: "p1", at: daysBefore(now, 9) });
    await f.event({
      actorId: "cat",
      type: "PROFILE_VIEW",
      targetUserId: "ana",
      at: daysBefore(now, 8),
    });
    await suggest(db, "ben", "cat", 0.7);
  }

  it("removes rows of pairs that fell out of scope", async () => {
    await relationships();
    await db.prisma.userCompatibility.create({
      data: {
        viewerUserId: "cat",
        targetUserId: "ben",
        score: 0.5,
        factors: {},
        algorithmVersion: "old",
      },
    });
    await run(db);
    expect(await storedKeys(db)).toEqual(["ana→ben", "ana→cat", "ben→ana", "ben→cat", "cat→ana"]);

    // 40 days later the messages are past the lookback; ana and cat still engage mutually.
    await db.prisma.matchScore.deleteMany({});
    await run(db, {}, {}, daysBefore(now, -40));
    expect(await storedKeys(db)).toEqual(["ana→cat", "cat→ana"]);
  });

  it("changes nothing on a second run", async () => {
    await relationships();
    const first = await run(db);
    const rows = await storedPairs(db);
    const second = await run(db);
    expect(await storedPairs(db)).toEqual(rows);
    expect(first.metadata.rowsWritten).toBe(5);
    expect(second.metadata.rowsWritten).toBe(0);
  });

  it("incremental: scores only viewers with new activity since the last complete run", async () => {
    await relationships();
    const first = await run(db, { mode: "incremental" });
    expect(first.itemsProcessed).toBe(3); // no earlier run: everyone
    const rows = await storedPairs(db);

    const quiet = await run(db, { mode: "incremental" }, {}, minutesBefore(now, -30));
    expect(quiet.itemsProcessed).toBe(0);
    expect(quiet.metadata).toMatchObject({ activitySince: now.toISOString() });

    // cat messages ana: both of them, and only them, are scored again.
    const later = minutesBefore(now, -60);
    await f.message({ id: "m3", from: "cat", to: "ana", at: minutesBefore(now, -45) });
    const next = await run(db, { mode: "incremental" }, {}, later);
    expect(next.itemsProcessed).toBe(2);
    const after = await storedPairs(db);
    expect(after.filter((p) => p.viewer === "ben")).toEqual(rows.filter((p) => p.viewer === "ben"));
    const full = await run(db, { mode: "full" }, {}, later);
    expect(full.itemsProcessed).toBe(3);
    expect((await storedPairs(db)).filter((p) => p.viewer !== "ben")).toEqual(
      after.filter((p) => p.viewer !== "ben"),
    );
  });

  it("gives the same rows whatever the batch size", async () => {
    await relationships();
    await run(db, {}, { batchSize: 1 });
    const oneByOne = await storedPairs(db);
    await db.prisma.userCompatibility.deleteMany({});
    await run(db, {}, { batchSize: 100 });
    expect(await storedPairs(db)).toEqual(oneByOne);
  });

  it("ignores discovery inputs: preferences, location, quiz, profile interests", async () => {
    await relationships();
    await run(db);
    const before = await storedPairs(db);
    for (const id of ["ana", "ben", "cat"]) {
      await db.prisma.user.update({
        where: { id },
        data: {
          latitude: 48.85,
          longitude: 2.35,
          gender: "MAN",
          relationshipGoal: "CASUAL",
          attributes: ["smokes"],
        },
      });
      await db.prisma.matchPreference.update({
        where: { userId: id },
        data: {
          minAge: 40,
          maxAge: 45,
          maxDistanceKm: 1,
          dealbreakers: ["smokes"],
          preferences: ["cats"],
        },
      });
      await db.prisma.quizResponse.create({ data: { userId: id, answers: [0.1, 0.9, 0.5] } });
      await db.prisma.userInterest.createMany({
        data: [
          { userId: id, tag: "hiking" },
          { userId: id, tag: "coffee" },
        ],
      });
    }
    const after = await run(db);
    expect(await storedPairs(db)).toEqual(before);
    expect(after.metadata.rowsWritten).toBe(0);
  });
});
