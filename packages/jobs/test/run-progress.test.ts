import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, runJob } from "../src/index.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const batchedJob = defineJob({
  name: "batched-job",
  description: "three batches of two items, one failing in the second",
  algorithmVersion: "t1",
  schedules: [],
  config: z.strictObject({}),
  budget: { maxRowsScanned: 100, maxRowsWritten: 100, maxRuntimeMs: 60_000 },
  accepts: [],
  run: async (ctx) => {
    ctx.setTotal(6);
    const seen: unknown[] = [];
    for (let batch = 0; batch < 3; batch++) {
      await ctx.checkpoint();
      const row = await ctx.db.prisma.jobRun.findFirstOrThrow({ where: { status: "RUNNING" } });
      seen.push((row.metadata as { progress?: unknown } | null)?.progress);
      ctx.processed(batch === 1 ? 1 : 2);
      if (batch === 1) ctx.failed("item-3", new Error("unscorable"));
    }
    return seen;
  },
});

describe("a running run's progress in its JobRun", () => {
  it("is recorded at every checkpoint, and its id is told to onStart", async () => {
    const clock = () => new Date("2026-03-01T10:00:00.000Z");
    let startedId: string | undefined;
    const summary = await runJob(db, batchedJob, {
      clock,
      onStart: (runId) => {
        startedId = runId;
      },
    });
    expect(startedId).toBe(summary.runId);
    const at = "2026-03-01T10:00:00.000Z";
    expect(summary.result).toEqual([
      { done: 0, failed: 0, total: 6, at },
      { done: 2, failed: 0, total: 6, at },
      { done: 3, failed: 1, total: 6, at },
    ]);
    // The final metadata replaces the progress.
    const finished = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(finished.metadata).not.toHaveProperty("progress");
    expect(finished.itemsProcessed).toBe(5);
  });
});
