import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, migrate, openDatabase } from "@feed-jobs/db";
import { createTestDatabase } from "@feed-jobs/db/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, findAbandonedRuns, JobAlreadyRunning, runJob } from "../src/index.ts";

// node itself with tsx's loader (not the tsx wrapper), so SIGKILL kills the process holding the lock.
const tsxLoader = new URL("../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
const child = fileURLToPath(new URL("./support/hold-lock.ts", import.meta.url));

const heldJob = defineJob({
  name: "held-job",
  description: "the same job as the child's",
  algorithmVersion: "t1",
  schedules: [],
  config: z.strictObject({}),
  budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
  accepts: [],
  run: async () => undefined,
});

function startHolder(env: NodeJS.ProcessEnv, dataDir?: string) {
  const proc = spawn(
    process.execPath,
    ["--import", tsxLoader, child, ...(dataDir ? [dataDir] : [])],
    {
      env,
    },
  );
  let output = "";
  proc.stdout.on("data", (chunk) => {
    output += chunk;
  });
  proc.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const holding = waitFor(
    proc,
    () => output.includes("holding"),
    () => output,
  );
  const exited = new Promise<string>((resolve) => proc.on("exit", () => resolve(output)));
  return { proc, holding, exited };
}

function waitFor(
  proc: ChildProcessWithoutNullStreams,
  done: () => boolean,
  output: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    proc.stdout.on("data", () => done() && resolve());
    proc.on("exit", (code) => reject(new Error(`child exited ${code}: ${output()}`)));
  });
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("two processes, one PostgreSQL database", () => {
  it("refuses a second run of a job while another process runs it, then allows it", async () => {
    const db = await createTestDatabase();
    try {
      const holder = startHolder({ ...process.env, DATABASE_URL: db.url });
      await holder.holding;
      const refused = await runJob(db, heldJob).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(JobAlreadyRunning);
      expect((refused as Error).message).toMatch(
        /held-job is already running \(run .+ \(pid \d+\)/,
      );
      holder.proc.stdin.end();
      expect(await holder.exited).toContain("SUCCESS");
      expect((await runJob(db, heldJob)).status).toBe("SUCCESS");
    } finally {
      await db.close();
    }
  });

  it("frees the lock when the holding process is killed, and reaps its RUNNING row", async () => {
    const db = await createTestDatabase();
    try {
      const holder = startHolder({ ...process.env, DATABASE_URL: db.url });
      await holder.holding;
      holder.proc.kill("SIGKILL");
      await holder.exited;
      const [killed] = await findAbandonedRuns(db, "held-job");
      expect(killed?.reason).toBe(
        `abandoned: process ${holder.proc.pid} on host ${hostname()} is gone`,
      );
      await advisoryLocksReleased(db);
      const summary = await runJob(db, heldJob);
      expect(summary.status).toBe("SUCCESS");
      const abandoned = await db.prisma.jobRun.findMany({ where: { status: "FAILED" } });
      expect(abandoned).toHaveLength(1);
      expect(abandoned[0]?.error).toMatch(/^abandoned/);
    } finally {
      await db.close();
    }
  });
});

/**
 * The server frees a dead client's locks when its backend notices the closed socket: at once
 * on an idle machine, some milliseconds later on a loaded one. Waits for that, up to 10 s.
 */
async function advisoryLocksReleased(db: Database): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    if (row?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("two processes, one embedded database folder", () => {
  it("refuses to open a folder another live process has open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "feed-jobs-embedded-"));
    const env = { ...process.env, DATABASE_URL: "" };
    const holder = startHolder(env, dir);
    await holder.holding;
    try {
      await expect(openDatabase({}, dir)).rejects.toThrow(
        /embedded database in .* is in use by process \d+/,
      );
    } finally {
      holder.proc.stdin.end();
      expect(await holder.exited).toContain("SUCCESS");
    }
    const db = await openDatabase({}, dir);
    await migrate(db);
    expect(await db.prisma.jobRun.count()).toBe(1);
    await db.close();
  });
});
