import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { enqueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixtures } from "../support/fixtures.ts";
import { eventually, startTestScheduler } from "./support/in-process.ts";
import { slowEventJob } from "./support/test-jobs.ts";

/**
 * Who owns a claimed event request: the worker that beats its heartbeat, not the claim's age.
 * The stale limit is shortened to 1 s (default 2 min) so that a run outlasts it quickly.
 */
const ownership = { staleAfterMs: 1_000, heartbeatIntervalMs: 200 };
const job = slowEventJob({ batches: 25, batchMs: 100 });

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  const f = fixtures(db, new Date());
  await f.user({ id: "author" });
  for (const id of ["post-1", "post-2"])
    await f.post({ id, authorId: "author", createdAt: new Date() });
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.prisma.jobRun.deleteMany();
  await db.prisma.jobRequest.deleteMany();
});

const doneRequest = (id: string) =>
  eventually(async () => {
    const request = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
    return request.status === "DONE" ? request : undefined;
  }, 30_000);

describe(`event request ownership (${testDatabaseKind()})`, () => {
  it("runs a request that outlasts the stale limit on a live worker once, and records its success", async () => {
    // Two workers share the queue: the idle one must not take the long run over.
    const first = await startTestScheduler(db, [job], ownership);
    const second = await startTestScheduler(db, [job], ownership);
    try {
      const { id } = await enqueue(db, job, { postId: "post-1" }, { now: new Date() });
      const done = await doneRequest(id);
      const runs = await db.prisma.jobRun.findMany({ where: { jobName: job.name } });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: done.runId, status: "SUCCESS", itemsProcessed: 25 });
      expect(runs[0]?.duration).toBeGreaterThan(2 * ownership.staleAfterMs);
      expect(done).toMatchObject({ attempts: 1, lastError: null });
    } finally {
      await Promise.all([first.stop(5_000), second.stop(5_000)]);
    }
  });

  it("reclaims and runs a request whose worker died (heartbeat stale, lock free)", async () => {
    const { id } = await enqueue(db, job, { postId: "post-2" }, { now: new Date() });
    const longAgo = new Date(Date.now() - 60_000);
    await db.prisma.jobRequest.update({
      where: { id },
      data: {
        status: "RUNNING",
        attempts: 1,
        startedAt: longAgo,
        heartbeatAt: longAgo,
        claimedBy: "dead-host:4242:0badc0de",
      },
    });
    const scheduler = await startTestScheduler(db, [job], ownership);
    try {
      const done = await doneRequest(id);
      expect(done.attempts).toBe(2);
      expect(done.claimedBy).toBe(scheduler.owner);
      const run = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: done.runId ?? "" } });
      expect(run).toMatchObject({
        status: "SUCCESS",
        trigger: "EVENT",
        scope: { postId: "post-2" },
      });
    } finally {
      await scheduler.stop(5_000);
    }
  });
});
