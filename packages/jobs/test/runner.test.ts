import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  defineJob,
  JobAlreadyRunning,
  jobLockKey,
  RunDeclined,
  runJob,
} from "../src/index.ts";

const config = z.strictObject({ batchSize: z.number().int().positive().default(10) });

function testJob(run: Parameters<typeof defineJob<z.infer<typeof config>>>[0]["run"]) {
  return defineJob({
    name: "test-job",
    description: "a job for runner tests",
    algorithmVersion: "t1",
    schedules: [],
    config,
    budget: { maxRowsScanned: 100, maxRowsWritten: 10, maxRuntimeMs: 60_000 },
    accepts: ["userId"],
    run,
  });
}

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const runs = () => db.prisma.jobRun.findMany({ orderBy: { startedAt: "asc" } });

describe("runJob", () => {
  it("records a RUNNING row while the job runs and a SUCCESS row after", async () => {
    const asOf = new Date("2026-01-01T00:00:00Z");
    let seenStatus: string | undefined;
    const summary = await runJob(
      db,
      testJob(async (ctx) => {
        const row = await ctx.db.prisma.jobRun.findFirst({ where: { jobName: "test-job" } });
        seenStatus = row?.status;
        expect(ctx.now).toEqual(asOf);
        expect(ctx.config.batchSize).toBe(3);
        ctx.setTotal(5);
        ctx.processed(5);
        ctx.scanned(150);
        ctx.written(4);
        ctx.note("viewers", 5);
        return { top: [1, 2] };
      }),
      { asOf, overrides: { batchSize: 3 }, options: { userId: "u1" } },
    );
    expect(seenStatus).toBe("RUNNING");
    expect(summary.status).toBe("SUCCESS");
    expect(summary.result).toEqual({ top: [1, 2] });
    const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run).toMatchObject({
      status: "SUCCESS",
      trigger: "MANUAL",
      itemsProcessed: 5,
      itemsFailed: 0,
      algorithmVersion: "t1",
      asOf,
      scope: { userId: "u1" },
    });
    expect(run.completedAt).not.toBeNull();
    expect(run.duration).toBeGreaterThanOrEqual(0);
    expect(run.metadata).toMatchObject({
      rowsScanned: 150,
      rowsWritten: 4,
      budgetExceeded: { rowsScanned: true, rowsWritten: false, runtime: false },
      overBudget: true,
      overrides: { batchSize: 3 },
      viewers: 5,
    });
  });

  it("sums excluded inputs by reason into metadata.excluded, apart from failures", async () => {
    const summary = await runJob(
      db,
      testJob(async (ctx) => {
        ctx.excluded("minor", 2);
        ctx.excluded("deleted");
        ctx.excluded("minor", 3);
        ctx.excluded("noBirthDate", 0);
        ctx.processed(4);
      }),
    );
    expect(summary.status).toBe("SUCCESS");
    expect(summary.itemsFailed).toBe(0);
    const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run.metadata).toMatchObject({ excluded: { minor: 5, deleted: 1 } });
    expect((run.metadata as { excluded: object }).excluded).not.toHaveProperty("noBirthDate");
  });

  it("records an infrastructure error as FAILED with its message", async () => {
    const summary = await runJob(
      db,
      testJob(async () => {
        throw new Error("connection reset");
      }),
    );
    expect(summary.status).toBe("FAILED");
    const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: summary.runId } });
    expect(run.error).toBe("connection reset");
  });

  it("goes on past failed items and fails only above the failure share", async () => {
    const job = testJob(async (ctx) => {
      for (let i = 0; i < 20; i++) {
        if (i < 2) ctx.failed(`item-${i}`, new Error(`bad input ${i}`));
        else ctx.processed();
      }
    });
    const tolerant = await runJob(db, job, { maxFailureShare: 0.2 });
    expect(tolerant).toMatchObject({ status: "SUCCESS", itemsProcessed: 18, itemsFailed: 2 });
    expect(tolerant.metadata.failures).toEqual([
      { item: "item-0", error: "bad input 0" },
      { item: "item-1", error: "bad input 1" },
    ]);
    const strict = await runJob(db, job, { maxFailureShare: 0.05 });
    expect(strict.status).toBe("FAILED");
    expect(strict.error).toMatch(/2 of 20 items failed/);
  });

  it("rejects unknown and invalid config before writing any row", async () => {
    const before = (await runs()).length;
    const job = testJob(async () => undefined);
    await expect(runJob(db, job, { overrides: { topK: 5 } })).rejects.toThrow(
      /unknown config key "topK"/,
    );
    await expect(runJob(db, job, { overrides: { batchSize: -1 } })).rejects.toThrow(ConfigError);
    expect((await runs()).length).toBe(before);
  });

  it("runs the version config algorithm names, the default without it, and refuses an unknown one", async () => {
    const seen: string[] = [];
    const job = {
      ...testJob(async (ctx) => {
        seen.push(ctx.algorithmVersion);
        expect(ctx.config).toEqual({ batchSize: 10 });
      }),
      algorithms: { t1: "the first", t2: "the second" },
    };
    const chosen = await runJob(db, job, { overrides: { algorithm: "t2" } });
    const plain = await runJob(db, job);
    expect(seen).toEqual(["t2", "t1"]);
    const versionOf = async (id: string) =>
      (await db.prisma.jobRun.findUniqueOrThrow({ where: { id } })).algorithmVersion;
    expect(await versionOf(chosen.runId)).toBe("t2");
    expect(await versionOf(plain.runId)).toBe("t1");
    const before = (await runs()).length;
    await expect(runJob(db, job, { overrides: { algorithm: "t3" } })).rejects.toThrow(
      'Invalid config for test-job: "algorithm" is "t3"; test-job has versions t1, t2',
    );
    await expect(
      runJob(
        db,
        testJob(async () => undefined),
        { overrides: { algorithm: "t2" } },
      ),
    ).rejects.toThrow("test-job has versions t1");
    expect((await runs()).length).toBe(before);
  });

  it("refuses to start a second run while the first holds the lock", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const job = testJob(async () => gate);
    const first = runJob(db, job);
    await new Promise((r) => setTimeout(r, 50));
    await expect(runJob(db, job)).rejects.toThrow(JobAlreadyRunning);
    release();
    expect((await first).status).toBe("SUCCESS");
  });

  it("asks the precondition under the job's lock and, declined, writes no row and frees the lock", async () => {
    const before = (await runs()).length;
    let lockedWhenAsked: boolean | undefined;
    const declined = runJob(
      db,
      testJob(async () => undefined),
      {
        precondition: async () => {
          lockedWhenAsked = await db.isLockHeld(jobLockKey("test-job"));
          return "a newer run has started";
        },
      },
    );
    await expect(declined).rejects.toThrow(RunDeclined);
    await expect(declined).rejects.toMatchObject({ reason: "a newer run has started" });
    expect(lockedWhenAsked).toBe(true);
    expect((await runs()).length).toBe(before);
    const next = await runJob(
      db,
      testJob(async () => undefined),
      { precondition: async () => null },
    );
    expect(next.status).toBe("SUCCESS");
  });

  it("marks a RUNNING row left by a dead process as FAILED before the next run", async () => {
    await db.prisma.jobRun.create({
      data: { id: "dead-run", jobName: "test-job", status: "RUNNING", trigger: "CRON" },
    });
    await runJob(
      db,
      testJob(async () => undefined),
    );
    const dead = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: "dead-run" } });
    expect(dead.status).toBe("FAILED");
    expect(dead.error).toMatch(/^abandoned/);
  });

  it("stops at a checkpoint when cancelled and records CANCELLED", async () => {
    const summary = await runJob(
      db,
      testJob(async (ctx) => {
        ctx.processed();
        await ctx.db.prisma.jobRun.updateMany({
          where: { jobName: "test-job", status: "RUNNING" },
          data: { cancelRequestedAt: new Date() },
        });
        await ctx.checkpoint();
        ctx.processed();
      }),
    );
    expect(summary).toMatchObject({ status: "CANCELLED", itemsProcessed: 1 });
  });

  it("stops at a checkpoint when the process is shutting down", async () => {
    const controller = new AbortController();
    const summary = await runJob(
      db,
      testJob(async (ctx) => {
        controller.abort();
        await ctx.checkpoint();
      }),
      { signal: controller.signal },
    );
    expect(summary.status).toBe("CANCELLED");
    expect(summary.error).toMatch(/shutting down/);
  });
});
