import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type Database, migrate, openDatabase } from "@feed-jobs/db";
import { createTestDatabase, type TestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { enqueue, listRequests, openQueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { watchChild } from "../support/child.ts";

/**
 * The documented way to run the scheduler under a service manager — `node
 * backend/bin/feed-jobs.mjs scheduler`, one process with no wrapper to relay or kill — stops
 * gracefully on SIGTERM mid-batch on a loaded machine (a busy loop takes any idle core): three times in a row,
 * a real job (content-features over every post of a seeded population) is recorded CANCELLED,
 * its request is put back in the queue without spending an attempt, and the process exits 0.
 */
const bin = fileURLToPath(new URL("../../bin/feed-jobs.mjs", import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 20_000;
const STOPS = 3;

let server: TestDatabase | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) server = await createTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), "feed-jobs-graceful-"));
  await withDb(async (db) => {
    await seedDemoData(db, { users: 200, now: new Date() });
    const queue = await openQueue(db, [contentFeaturesJob.name]);
    await enqueue(queue, contentFeaturesJob, { all: true }, { now: new Date(), reason: "test" });
    await queue.stop({ close: false });
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
});

/** The test's connection: the server database, or the embedded folder while no scheduler has it. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (server) return fn(server);
  const db = await openDatabase({}, dataDir);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function startScheduler() {
  const env = {
    ...process.env,
    DATABASE_URL: server?.url ?? "",
    FEED_JOBS_DATA_DIR: dataDir ?? "",
    FEED_JOBS_QUEUE_POLL_SECONDS: "0.5",
  };
  const args = ["scheduler", "--host", "127.0.0.1", "--port", "0"];
  const timeout = ["--shutdown-timeout", String(SHUTDOWN_TIMEOUT_MS)];
  return watchChild(spawn(process.execPath, [bin, ...args, ...timeout], { env }));
}

describe(`stopping the scheduler started with node backend/bin/feed-jobs.mjs (${testDatabaseKind()})`, () => {
  it(`exits 0 on SIGTERM mid-batch under CPU load, the run CANCELLED and its request queued again, ${STOPS} times`, async () => {
    // At the lowest priority: it takes a core whenever the suite leaves one idle, and never
    // slows the test files running beside this one in CI.
    const busyLoop = spawn("nice", ["-n", "19", process.execPath, "-e", "for (;;) {}"]);
    try {
      for (let stop = 1; stop <= STOPS; stop++) {
        const scheduler = startScheduler();
        await scheduler.waitFor('(content-features {"all":true}, attempt 1 of 3): running');
        await sleep(500);
        const signalledAt = Date.now();
        scheduler.proc.kill("SIGTERM");
        const exit = await scheduler.exited;
        expect(exit.code, scheduler.output()).toBe(0);
        expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
        expect(scheduler.output()).toContain("stopped: every run recorded");
        const { runs, requests } = await withDb(async (db) => ({
          runs: await db.prisma.jobRun.findMany({
            where: { jobName: "content-features", trigger: "EVENT" },
          }),
          requests: await listRequests(db, { job: "content-features", limit: 100 }),
        }));
        expect(
          runs.map((run) => run.status),
          scheduler.output(),
        ).toEqual(Array(stop).fill("CANCELLED"));
        for (const run of runs) expect(run.error).toMatch(/shutting down/);
        // Each stop completed the request it ran and queued it again, unstarted.
        expect(requests.filter((request) => request.state !== "completed")).toMatchObject([
          { state: "created", attempts: 0 },
        ]);
        expect(requests).toHaveLength(stop + 1);
      }
    } finally {
      busyLoop.kill("SIGKILL");
    }
  }, 300_000);
});
