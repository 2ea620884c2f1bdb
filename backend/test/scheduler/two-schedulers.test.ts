import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { startSchedulerChild } from "./support/child.ts";

// The embedded database is one process only: two schedulers need PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "two scheduler processes, one PostgreSQL database",
  () => {
    it("runs each tick of an every-other-second schedule exactly once", async () => {
      const db = await createTestDatabase();
      try {
        const env = { ...process.env, DATABASE_URL: db.url, SCENARIO: "ticks" };
        const children = [startSchedulerChild(env), startSchedulerChild(env)];
        await Promise.all(children.map((child) => child.waitFor("1 schedules")));
        await sleep(7_000);
        for (const child of children) child.proc.kill("SIGTERM");
        const exits = await Promise.all(children.map((child) => child.exited));
        expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

        const ticks = await db.prisma.schedulerTick.findMany({ orderBy: { key: "asc" } });
        const runs = await db.prisma.jobRun.findMany({ where: { jobName: "tick-job" } });
        expect(ticks.length).toBeGreaterThanOrEqual(3);
        expect(runs).toHaveLength(ticks.length);
        expect(runs.every((run) => run.trigger === "CRON" && run.status === "SUCCESS")).toBe(true);
        // A tick's key ends with its scheduled time, which is the run's as-of time.
        const slots = ticks.map((tick) => tick.key.replace("tick-job/every-2-seconds:", ""));
        expect(runs.map((run) => run.asOf?.toISOString()).sort()).toEqual(slots.sort());
        expect(ticks.every((tick) => tick.completedAt !== null)).toBe(true);
      } finally {
        await db.close();
      }
    });
  },
);
