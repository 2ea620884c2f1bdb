import { setTimeout as sleep } from "node:timers/promises";
import { defineJob } from "@feed-jobs/jobs";
import { z } from "zod";

/** Small jobs for scheduler tests: fast schedules, controllable durations, no output tables. */

const budget = { maxRowsScanned: 1_000, maxRowsWritten: 1_000, maxRuntimeMs: 60_000 };

/** Runs every second (6-field cron) and finishes at once. */
export const tickJob = defineJob({
  name: "tick-job",
  description: "counts one item per tick",
  algorithmVersion: "t1",
  schedules: [{ label: "every-second", cron: "* * * * * *" }],
  config: z.strictObject({}),
  budget,
  accepts: [],
  run: async (ctx) => ctx.processed(1),
});

/** Runs every other second: the two-scheduler test's tick, with room for a busy machine. */
export const everyOtherSecondJob = defineJob({
  ...tickJob,
  schedules: [{ label: "every-2-seconds", cron: "*/2 * * * * *" }],
});

/** Runs every second; each run does `batches` batches of `batchMs`, with a checkpoint between. */
export function slowJob(options: { batches: number; batchMs: number; checkpoints: boolean }) {
  return defineJob({
    name: "slow-job",
    description: "a long run in batches",
    algorithmVersion: "t1",
    schedules: [{ label: "every-second", cron: "* * * * * *" }],
    config: z.strictObject({}),
    budget,
    accepts: [],
    run: async (ctx) => {
      ctx.log("started");
      for (let batch = 0; batch < options.batches; batch++) {
        if (options.checkpoints) await ctx.checkpoint();
        await sleep(options.batchMs);
        ctx.processed(1);
      }
    },
  });
}

/** Event-only: one post or user per run; posts whose id starts with "bad" fail. */
export const eventJob = defineJob({
  name: "event-job",
  description: "handles one post",
  algorithmVersion: "t1",
  schedules: [],
  config: z.strictObject({}),
  budget,
  accepts: ["postId", "userId"],
  run: async (ctx) => {
    if (ctx.options.postId?.startsWith("bad"))
      throw new Error(`cannot handle ${ctx.options.postId}`);
    ctx.processed(1);
  },
});

/** Event-only: each run does `batches` batches of `batchMs` for one post, with a checkpoint between. */
export function slowEventJob(options: { batches: number; batchMs: number }) {
  return defineJob({
    ...eventJob,
    name: "slow-event-job",
    run: async (ctx) => {
      for (let batch = 0; batch < options.batches; batch++) {
        await ctx.checkpoint();
        await sleep(options.batchMs);
        ctx.processed(1);
      }
    },
  });
}

/** Over its runtime budget (1 ms) on every run: the duration alert fires. */
export const overBudgetJob = defineJob({
  name: "over-budget-job",
  description: "always slower than its SLA",
  algorithmVersion: "t1",
  schedules: [{ label: "every-second", cron: "* * * * * *" }],
  config: z.strictObject({}),
  budget: { ...budget, maxRuntimeMs: 1 },
  accepts: [],
  run: async (ctx) => {
    await sleep(20);
    ctx.processed(1);
  },
});
