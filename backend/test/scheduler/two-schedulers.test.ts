import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { listRequests } from "@feed-jobs/jobs";
import { describe, expect, it } from "vitest";
import { startSchedulerChild } from "./support/child.ts";

// The embedded database is one process only: two schedulers need PostgreSQL.
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "two scheduler processes, one PostgreSQL database",
  () => {
    it("queues each tick of an every-other-second schedule once, and runs it once", async () => {
      const db = await createTestDatabase();
      try {
        const env = { ...process.env, DATABASE_URL: db.url, SCENARIO: "ticks" };
        const children = [startSchedulerChild(env), startSchedulerChild(env)];
        await Promise.all(children.map((child) => child.waitFor("1 schedules")));
        await sleep(9_000);
        for (const child of children) child.proc.kill("SIGTERM");
        const exits = await Promise.all(children.map((child) => child.exited));
        expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

        const ticks = await db.prisma.schedulerTick.findMany({ orderBy: { key: "asc" } });
        const runs = await db.prisma.jobRun.findMany({ where: { jobName: "tick-job" } });
        expect(
          ticks.length,
          children.map((c) => c.output()).join("\n---\n"),
        ).toBeGreaterThanOrEqual(3);
        expect(ticks.every((tick) => tick.completedAt !== null)).toBe(true);
        expect(runs.every((run) => run.trigger === "CRON" && run.status === "SUCCESS")).toBe(true);
        // A tick's key ends with its scheduled time, which is the run's as-of time: each tick was
        // queued under its key, and none ran twice (a tick may wait or be skipped while its job
        // runs a neighbour on the other scheduler).
        const slot = (key: string) => key.replace("tick-job/every-2-seconds:", "");
        const slots = ticks.map((tick) => slot(tick.key));
        const requests = await listRequests(db, { job: "tick-job", limit: 100 });
        expect(new Set(requests.map((r) => slot(r.singletonKey ?? ""))).size).toBe(ticks.length);
        expect(requests.every((r) => slots.includes(slot(r.singletonKey ?? "")))).toBe(true);
        const ran = runs.map((run) => run.asOf?.toISOString() ?? "");
        expect(new Set(ran).size).toBe(runs.length);
        expect(ran.every((time) => slots.includes(time))).toBe(true);
        expect(runs.length).toBeGreaterThanOrEqual(2);
      } finally {
        await db.close();
      }
    });
  },
);
