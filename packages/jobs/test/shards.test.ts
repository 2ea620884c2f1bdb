import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { computeAsOf, runJob } from "../src/index.ts";
import { copyExists, createToyTables, TOY_TABLE, toyJob, toyScores } from "./support/toy-job.ts";

/**
 * Sharded full runs in one process (`ctx.distribute` without a dispatch, and every dry run):
 * the same output as one shard, the shards' counters summed into the run, and a failing shard
 * or validation fails the run leaving the table as it was and no copy behind.
 */

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await createToyTables(db, 10);
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe(`DELETE FROM ${TOY_TABLE}`);
});

const asOf = new Date("2026-03-01T00:00:00Z");

/** Items 1…10, every fifth negative (excluded): eight rows of twice the value. */
const expectedRows = [1, 2, 3, 4, 6, 7, 8, 9].map((id) => ({
  id,
  doubled: 2 * id,
  version: "toy-1",
}));

describe("distribute in one process", () => {
  it("gives the same table in four shards as in one, with the shards' counters summed", async () => {
    const single = await runJob(db, toyJob, { asOf, overrides: { shardSize: 100 } });
    expect(single.status).toBe("SUCCESS");
    const one = await toyScores(db);
    expect(one).toEqual(expectedRows);

    const sharded = await runJob(db, toyJob, { asOf, overrides: { shardSize: 3 } });
    expect(sharded.status, sharded.error ?? "").toBe("SUCCESS");
    expect(await toyScores(db)).toEqual(one);
    expect(await copyExists(db)).toBe(false);
    expect(sharded.itemsProcessed).toBe(8);
    expect(sharded.result).toMatchObject({ shards: 4, notes: { doubled: 8, lastRange: "10-10" } });
    const metadata = sharded.metadata as Record<string, unknown>;
    expect(metadata).toMatchObject({
      rowsScanned: 10,
      rowsWritten: 8,
      excluded: { negative: 2 },
      doubled: 8,
      plannedShards: 4,
    });
    const shards = metadata.shards as { index: number; attempts: number; items: number }[];
    expect(shards.map((s) => [s.index, s.attempts, s.items])).toEqual([
      [0, 1, 3],
      [1, 1, 2],
      [2, 1, 3],
      [3, 1, 0],
    ]);
    const rows = await db.prisma.jobRunShard.findMany({ where: { runId: sharded.runId } });
    expect(rows.map((r) => r.status)).toEqual(["DONE", "DONE", "DONE", "DONE"]);
    const rebuild = await db.prisma.jobRunRebuild.findUniqueOrThrow({
      where: { runId: sharded.runId },
    });
    expect(rebuild.finalizedAt).not.toBeNull();
  });

  it("fails the run on a failing shard, naming it, with the table untouched and no copy", async () => {
    await runJob(db, toyJob, { asOf });
    const before = await toyScores(db);
    const failed = await runJob(db, toyJob, { asOf, overrides: { failShard: 2 } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toContain("toy-shards: shard 2 of 4 failed after 1 attempt(s)");
    expect(failed.error).toContain("toy shard 2 always fails");
    expect(await toyScores(db)).toEqual(before);
    expect(await copyExists(db)).toBe(false);
  });

  it("fails the run when validation refuses the copy, the table untouched", async () => {
    await db.prisma.$executeRawUnsafe(`INSERT INTO ${TOY_TABLE} VALUES (99, 1, 'old')`);
    const failed = await runJob(db, toyJob, { asOf, overrides: { failValidation: true } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toContain("toy validation refuses the copy");
    expect(await toyScores(db)).toEqual([{ id: 99, doubled: 1, version: "old" }]);
    expect(await copyExists(db)).toBe(false);
  });

  it("runs a dry run's shards with no rows, copies or writes, their rows collected", async () => {
    const collected: unknown[] = [];
    const result = await computeAsOf(db, toyJob, {
      asOf,
      overrides: { shardSize: 4 },
      collect: (rows) => collected.push(...rows),
    });
    expect(result.processed).toBe(8);
    expect(collected).toEqual(expectedRows);
    expect(await toyScores(db)).toEqual([]);
    expect(await copyExists(db)).toBe(false);

    const dry = await runJob(db, toyJob, { asOf, options: { dryRun: true } });
    expect(dry.status).toBe("SUCCESS");
    expect(dry.itemsProcessed).toBe(8);
    expect(await db.prisma.jobRunShard.count({ where: { runId: dry.runId } })).toBe(0);
    expect(await toyScores(db)).toEqual([]);
  });
});
