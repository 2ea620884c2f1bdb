import type { Database } from "@feed-jobs/db";
import { testDatabaseKind } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database.ts";
import { daysBefore, hoursBefore } from "../support/fixtures.ts";
import {
  addUsers,
  type Fixtures,
  now,
  pairOf,
  run,
  storedKeys,
  suggest,
} from "./compatibility.support.ts";

let db: Database;
let f: Fixtures;

// A fresh database per test: a full run rewrites every viewer's rows.
useTestDatabase(now, "test", (opened, fixtures) => {
  db = opened;
  f = fixtures;
});

const users = (...ids: string[]) => addUsers(f, ...ids);
const message = (id: string, from: string, to: string, at: Date) => f.message({ id, from, to, at });

describe(`compatibility job: scope (${testDatabaseKind()})`, () => {
  it("scores pairs with messages or mutual actions in the window, both ways", async () => {
    await users("ana", "ben", "cat", "dan", "eve", "fay");
    await message("m1", "ana", "ben", daysBefore(now, 3));
    await f.post({ id: "cat-post", authorId: "cat", createdAt: daysBefore(now, 10) });
    await f.post({ id: "dan-post", authorId: "dan", createdAt: daysBefore(now, 10) });
    await f.event({ actorId: "dan", type: "LIKE", postId: "cat-post", at: daysBefore(now, 2) });
    await f.event({
      actorId: "cat",
      type: "PROFILE_VIEW",
      targetUserId: "dan",
      at: daysBefore(now, 1),
    });
    // One-way actions and mutual exposure are not a relationship.
    await f.event({ actorId: "eve", type: "COMMENT", postId: "cat-post", at: daysBefore(now, 2) });
    await f.event({ actorId: "fay", type: "SEEN", postId: "dan-post", at: daysBefore(now, 2) });
    await f.event({
      actorId: "dan",
      type: "IMPRESSION",
      targetUserId: "fay",
      at: daysBefore(now, 2),
    });

    const summary = await run(db);

    expect(await storedKeys(db)).toEqual(["ana→ben", "ben→ana", "cat→dan", "dan→cat"]);
    expect((await pairOf(db, "ana", "ben")).factors.scope).toEqual(["messages"]);
    expect((await pairOf(db, "dan", "cat")).factors).toMatchObject({
      scope: ["mutual_engagement"],
      interaction: {
        given: { likes: 1, profileViews: 0 },
        received: { likes: 0, profileViews: 1 },
      },
    });
    expect(summary.result).toMatchObject({
      viewers: 6,
      pairs: 4,
      activePairs: 4,
      suggestionPairs: 0,
    });
    expect(summary.metadata).toMatchObject({ rowsWritten: 4, pairs: 4 });
  });

  it("keeps the lookback boundary inclusive and ignores anything after now", async () => {
    await users("ana", "ben", "cat", "dan");
    await message("edge", "ana", "ben", daysBefore(now, 90));
    await message("too-old", "ana", "cat", new Date(daysBefore(now, 90).getTime() - 1));
    await message("future", "ana", "dan", hoursBefore(now, -1));

    await run(db);

    expect(await storedKeys(db)).toEqual(["ana→ben", "ben→ana"]);
    expect((await pairOf(db, "ana", "ben")).factors.communication).toMatchObject({
      sent: 1,
      received: 0,
      daysSinceLastMessage: 90,
    });
  });

  it("adds the viewer's top suggestions at or above minScoreThreshold, one way only", async () => {
    await users("ana", "ben", "cat", "dan", "eve");
    await suggest(db, "ana", "ben", 0.9);
    await suggest(db, "ana", "cat", 0.3);
    await suggest(db, "ana", "dan", 0.29);
    await suggest(db, "ana", "eve", 0.9);

    const summary = await run(db);
    expect(await storedKeys(db)).toEqual(["ana→ben", "ana→cat", "ana→eve"]);
    expect(summary.result).toMatchObject({ pairs: 3, activePairs: 0, suggestionPairs: 3 });
    const ben = await pairOf(db, "ana", "ben");
    expect(ben.factors.scope).toEqual(["suggestion"]);
    expect(ben.score).toBe(0);

    // targetBatchSize caps the suggestions per viewer: ties break on the candidate's id.
    await run(db, {}, { targetBatchSize: 1 });
    expect(await storedKeys(db)).toEqual(["ana→ben"]);
    await run(db, {}, { minScoreThreshold: 0.95 });
    expect(await storedKeys(db)).toEqual([]);
  });

  it("never scores deactivated or deleted users, and removes their rows", async () => {
    await users("ana", "ben", "cat");
    await message("m1", "ana", "ben", daysBefore(now, 3));
    await message("m2", "cat", "ana", daysBefore(now, 3));
    await run(db);
    expect(await storedKeys(db)).toEqual(["ana→ben", "ana→cat", "ben→ana", "cat→ana"]);

    await db.prisma.user.update({
      where: { id: "ben" },
      data: { deactivatedAt: hoursBefore(now, 1) },
    });
    await db.prisma.user.update({ where: { id: "cat" }, data: { deletedAt: hoursBefore(now, 1) } });
    const summary = await run(db);

    expect(await storedKeys(db)).toEqual([]);
    expect(summary.result).toMatchObject({ viewers: 1, rowsRemoved: 4 });
  });

  it("scores one viewer with --user-id and leaves other viewers' rows alone", async () => {
    await users("ana", "ben", "cat");
    await message("m1", "ana", "ben", daysBefore(now, 3));
    await suggest(db, "cat", "ana", 0.8);

    const summary = await run(db, { userId: "ana" });

    expect(await storedKeys(db)).toEqual(["ana→ben"]);
    expect(summary).toMatchObject({ itemsProcessed: 1 });
  });

  it("computes but writes nothing in a dry run, and prints the top pairs", async () => {
    await users("ana", "ben", "cat");
    await message("m1", "ana", "ben", daysBefore(now, 3));
    await message("m2", "ben", "ana", daysBefore(now, 2));
    await suggest(db, "cat", "ana", 0.8);

    const summary = await run(db, { dryRun: true }, { topN: 2 });

    expect(await storedKeys(db)).toEqual([]);
    expect(summary.metadata).toMatchObject({ rowsWritten: 0 });
    const result = summary.result as {
      dryRun: boolean;
      pairs: number;
      top: { viewerId: string }[];
    };
    expect(result).toMatchObject({ dryRun: true, pairs: 3 });
    expect(result.top.map((t) => t.viewerId)).toEqual(["ana", "ben"]);
  });
});

describe(`compatibility job: negative signals (${testDatabaseKind()})`, () => {
  it("drops pairs with a block or a report either way, ever, and removes their rows", async () => {
    await users("ana", "ben", "cat", "dan");
    await message("m1", "ana", "ben", daysBefore(now, 3));
    await message("m2", "cat", "dan", daysBefore(now, 3));
    await suggest(db, "ana", "cat", 0.9);
    await run(db);
    expect(await storedKeys(db)).toEqual(["ana→ben", "ana→cat", "ben→ana", "cat→dan", "dan→cat"]);

    await f.event({ actorId: "ben", type: "BLOCK", targetUserId: "ana", at: daysBefore(now, 400) });
    await f.post({ id: "ana-post", authorId: "ana", createdAt: daysBefore(now, 5) });
    await f.event({ actorId: "cat", type: "REPORT", postId: "ana-post", at: daysBefore(now, 1) });
    await f.event({
      actorId: "dan",
      type: "REPORT",
      targetUserId: "cat",
      at: hoursBefore(now, -1),
    });
    await run(db);

    // The report after now does not count yet.
    expect(await storedKeys(db)).toEqual(["cat→dan", "dan→cat"]);
  });

  it("weighs a hide either way as a strong penalty that fades slowly", async () => {
    await users("ana", "ben", "cat", "dan", "eve", "fay");
    for (const [a, b] of [
      ["ana", "ben"],
      ["cat", "dan"],
      ["eve", "fay"],
    ] as const) {
      await message(`${a}-1`, a, b, daysBefore(now, 5));
      await message(`${a}-2`, b, a, daysBefore(now, 4));
    }
    await f.event({ actorId: "dan", type: "HIDE", targetUserId: "cat", at: daysBefore(now, 1) });
    await f.event({ actorId: "eve", type: "HIDE", targetUserId: "fay", at: daysBefore(now, 360) });

    await run(db);

    const clean = await pairOf(db, "ana", "ben");
    const fresh = await pairOf(db, "cat", "dan");
    const old = await pairOf(db, "eve", "fay");
    expect(fresh.factors.hides).toMatchObject({ hides: 1, daysSinceLastHide: 1 });
    expect(fresh.score).toBeLessThan(clean.score * 0.25);
    expect(old.score).toBeLessThan(clean.score);
    expect(old.score).toBeGreaterThan(fresh.score);
    expect((await pairOf(db, "dan", "cat")).score).toBe(fresh.score);
  });
});
