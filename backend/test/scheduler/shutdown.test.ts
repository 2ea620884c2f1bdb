import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Database, openDatabase } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSchedulerChild } from "./support/child.ts";

/**
 * SIGTERM mid-job, against a scheduler process: on PostgreSQL a fresh test database; embedded,
 * a fresh folder that the test opens once the child has exited (one process at a time).
 */
const server = process.env.TEST_DATABASE_URL;
let url: string | undefined;
let dataDir: string | undefined;
let serverDb: Database | undefined;

beforeAll(async () => {
  if (server) {
    serverDb = await createTestDatabase();
    url = (serverDb as Database & { url: string }).url;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), "feed-jobs-scheduler-"));
  }
});
afterAll(async () => {
  await serverDb?.close();
});

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (serverDb) return fn(serverDb);
  const db = await openDatabase({}, dataDir);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function start(scenario: string, shutdownTimeoutMs: number) {
  const env = {
    ...process.env,
    DATABASE_URL: url ?? "",
    SCENARIO: scenario,
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  };
  return startSchedulerChild(env, dataDir);
}

describe(`scheduler shutdown (${testDatabaseKind()})`, () => {
  it("on SIGTERM stops the running job at its next checkpoint, records it CANCELLED, and exits 0", async () => {
    const child = start("slow", 5_000);
    await child.waitFor("[slow-job] started");
    // Some batches in: a signal seen at the very first checkpoint would stop it before any.
    await sleep(300);
    const signalledAt = Date.now();
    child.proc.kill("SIGTERM");
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(5_000);
    expect(child.output()).toContain("stopped: every run recorded");
    const runs = await withDb((db) =>
      db.prisma.jobRun.findMany({ where: { jobName: "slow-job" } }),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "CANCELLED", trigger: "CRON" });
    expect(runs[0]?.error).toMatch(/shutting down/);
    expect(runs[0]?.completedAt).not.toBeNull();
    expect(runs[0]?.itemsProcessed).toBeGreaterThan(0);
  });

  it("exits 1 within the limit when a job does not reach a checkpoint in time", async () => {
    const child = start("stubborn", 1_000);
    await child.waitFor("[slow-job] started");
    const signalledAt = Date.now();
    child.proc.kill("SIGTERM");
    const exit = await child.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    expect(child.output()).toContain("stopped before running jobs finished");
  });
});
