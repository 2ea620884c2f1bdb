import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { defineJob, runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runAll } from "../../src/cli/commands/jobs.ts";
import type { CliIO } from "../../src/cli/io.ts";
import { catalog } from "../../src/jobs/catalog.ts";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function testJob(name: string, run: () => Promise<void>) {
  return defineJob({
    name,
    description: "a job for job all tests",
    algorithmVersion: "t1",
    schedules: [],
    config: z.strictObject({}),
    budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
    accepts: [],
    run,
  });
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false };
  return { out, err, io };
}

/** A run of a job named `name` that holds that job's lock until `release` is called. */
async function holdJob(name: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: (runId: string) => void;
  const runId = new Promise<string>((resolve) => {
    started = resolve;
  });
  const run = runJob(
    db,
    testJob(name, () => released),
    { onStart: started },
  );
  return {
    runId: await runId,
    release: () => {
      release();
      return run;
    },
  };
}

describe(`job all (${testDatabaseKind()})`, () => {
  it("runs every job after a busy one, names the busy one and its run, and exits 3", async () => {
    const held = await holdJob("trending");
    const { out, err, io } = capture();
    let code: number;
    try {
      code = await runAll(db, catalog, {}, io);
    } finally {
      await held.release();
    }
    expect(code).toBe(3);
    const others = catalog.filter((job) => job.name !== "trending").map((job) => job.name);
    for (const name of others) expect(out.join("\n")).toMatch(new RegExp(`^${name}: SUCCESS`, "m"));
    expect(err).toContainEqual(
      expect.stringMatching(new RegExp(`trending is already running \\(run ${held.runId}`)),
    );
    expect(err).toContain("skipped (already running): trending");
    const ran = await db.prisma.jobRun.findMany({ where: { trigger: "MANUAL" } });
    expect(new Set(ran.map((run) => run.jobName))).toEqual(new Set([...others, "trending"]));
  });

  it("exits 1 when a run failed, even with a job skipped as busy", async () => {
    const held = await holdJob("held-job");
    const { io } = capture();
    let code: number;
    try {
      const failing = testJob("failing-job", async () => {
        throw new Error("broken");
      });
      code = await runAll(db, [failing, testJob("held-job", async () => undefined)], {}, io);
    } finally {
      await held.release();
    }
    expect(code).toBe(1);
  });
});
