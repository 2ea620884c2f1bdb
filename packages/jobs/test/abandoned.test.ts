import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, findAbandonedRuns, markAbandoned, runJob } from "../src/index.ts";

function gatedJob(gate: Promise<void>) {
  return defineJob({
    name: "gated-job",
    description: "runs until its gate opens",
    algorithmVersion: "t1",
    schedules: [],
    config: z.strictObject({}),
    budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
    accepts: [],
    run: () => gate,
  });
}

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid;

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const insertRunning = (id: string, owner: { host: string; pid: number }) =>
  db.prisma.jobRun.create({
    data: { id, jobName: "gated-job", status: "RUNNING", trigger: "CRON", ...owner },
  });

describe(`abandoned runs (${testDatabaseKind()})`, () => {
  it("tells a live run from runs whose process on this host is gone or whose lock is free", async () => {
    let open!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const live = runJob(db, gatedJob(new Promise<void>((resolve) => (open = resolve))), {
      onStart: () => started(),
    });
    // Rows inserted after the live run has reaped abandoned runs, which it does before it starts.
    await running;
    const pid = deadPid();
    await insertRunning("killed-here", { host: hostname(), pid });
    await insertRunning("elsewhere", { host: "another-host", pid: 1 });
    // While the live run holds the job's lock, only the dead pid on this host gives a run away.
    const whileLive = await findAbandonedRuns(db, "gated-job");
    expect(whileLive.map(({ run, reason }) => [run.id, reason])).toEqual([
      ["killed-here", `abandoned: process ${pid} on host ${hostname()} is gone`],
    ]);
    open();
    expect((await live).status).toBe("SUCCESS");
    const afterwards = await findAbandonedRuns(db, "gated-job");
    expect(afterwards.map(({ run, reason }) => [run.id, reason])).toEqual([
      ["killed-here", `abandoned: process ${pid} on host ${hostname()} is gone`],
      [
        "elsewhere",
        "abandoned: nobody holds gated-job's lock (it ran as process 1 on host another-host)",
      ],
    ]);
  });

  it("marks an abandoned run FAILED with its reason, only while it is RUNNING", async () => {
    const now = new Date();
    expect(await markAbandoned(db, "elsewhere", "abandoned: test", now)).toBe(true);
    expect(await markAbandoned(db, "elsewhere", "abandoned: again", now)).toBe(false);
    expect(await db.prisma.jobRun.findUniqueOrThrow({ where: { id: "elsewhere" } })).toMatchObject({
      status: "FAILED",
      error: "abandoned: test",
      completedAt: now,
    });
  });
});
