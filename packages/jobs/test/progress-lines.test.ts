import type { Database } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, type JobContext, lineProgress, runJob } from "../src/index.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function job(name: string, run: (ctx: JobContext<Record<string, never>>) => Promise<void>) {
  return defineJob({
    name,
    description: "a job for progress tests",
    algorithmVersion: "t1",
    schedules: [],
    config: z.strictObject({}),
    budget: { maxRowsScanned: 100, maxRowsWritten: 100, maxRuntimeMs: 60_000 },
    accepts: [],
    run,
  });
}

describe("progress lines", () => {
  it("carry each run's own job name when runs overlap on one sink", async () => {
    const lines: string[] = [];
    const progress = lineProgress((line) => lines.push(line), 0);
    let bStarted!: () => void;
    const bRunning = new Promise<void>((resolve) => {
      bStarted = resolve;
    });
    let aMayFinish!: () => void;
    const aHeld = new Promise<void>((resolve) => {
      aMayFinish = resolve;
    });
    const a = runJob(
      db,
      job("job-a", async (ctx) => {
        ctx.setTotal(2);
        await bRunning;
        ctx.log("a after b started");
        ctx.processed(1);
        await aHeld;
        ctx.processed(1);
      }),
      { progress },
    );
    const b = runJob(
      db,
      job("job-b", async (ctx) => {
        ctx.setTotal(1);
        bStarted();
        ctx.log("b running");
        ctx.processed(1);
      }),
      { progress },
    );
    await b;
    aMayFinish();
    await a;
    const byJob = (name: string) => lines.filter((line) => line.startsWith(`[${name}] `));
    expect(byJob("job-a")).toContain("[job-a] a after b started");
    expect(byJob("job-b")).toContain("[job-b] b running");
    expect(byJob("job-a").some((line) => line.startsWith("[job-a] done: 2/2"))).toBe(true);
    expect(byJob("job-b").some((line) => line.startsWith("[job-b] done: 1/1"))).toBe(true);
    expect(byJob("job-a").length + byJob("job-b").length).toBe(lines.length);
    expect(
      lines.filter((line) => /a after b|2\/2/.test(line)).every((l) => l.startsWith("[job-a]")),
    ).toBe(true);
  });
});
