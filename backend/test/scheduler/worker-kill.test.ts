import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { enqueue, openQueue, type Queue, queueSettings, scopeKey } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "../support/fixtures.ts";
import { startSchedulerChild } from "./support/child.ts";
import { eventually, requestsFor } from "./support/in-process.ts";
import { slowEventJob } from "./support/test-jobs.ts";

/**
 * A worker process killed with SIGKILL mid-request: pg-boss has no heartbeat, so the request
 * stays active until its expiry (shortened to 6 s here, default 1 h), which a supervising
 * process (another worker) applies at its maintenance (every second here): the request is then
 * retried, by that worker. PostgreSQL only: two processes share the database.
 */
const job = slowEventJob({ batches: 10, batchMs: 100 });
const timings = {
  FEED_JOBS_RUN_EXPIRE_SECONDS: "6",
  FEED_JOBS_QUEUE_MAINTENANCE_SECONDS: "1",
  FEED_JOBS_REQUEST_RETRY_SECONDS: "1",
  FEED_JOBS_QUEUE_POLL_SECONDS: "0.5",
};

describe.skipIf(!process.env.TEST_DATABASE_URL)("a worker killed mid-request (PostgreSQL)", () => {
  let db: TestDatabase;
  let queue: Queue;
  beforeAll(async () => {
    db = await createTestDatabase();
    const f = fixtures(db, new Date());
    await f.user({ id: "author" });
    await f.post({ id: "post-1", authorId: "author", createdAt: new Date() });
    // The workers' settings: opening a queue brings its options to the opener's.
    queue = await openQueue(db, [job.name], { settings: queueSettings(timings) });
  });
  afterAll(async () => {
    await queue?.stop({ close: false });
    await db?.close();
  });

  it("retries the request on another worker once it expires, and completes it: nothing lost", async () => {
    const env = {
      ...process.env,
      ...timings,
      DATABASE_URL: db.url,
      SCENARIO: "slow-events",
      ROLE: "worker",
    };
    const killed = startSchedulerChild(env);
    await killed.waitFor("1 jobs");
    const { id } = await enqueue(queue, job, { postId: "post-1" }, { now: new Date() });
    // Mid-run: its JobRun written.
    await eventually(async () =>
      (await db.prisma.jobRun.count({ where: { jobName: job.name } })) > 0 ? true : undefined,
    );
    killed.proc.kill("SIGKILL");
    await killed.exited;
    const survivor = startSchedulerChild(env);
    try {
      const [request] = await eventually(async () => {
        const chain = await requestsFor(db, job, scopeKey({ postId: "post-1" }));
        return chain[0]?.state === "completed" ? chain : undefined;
      }, 30_000);
      expect(request, survivor.output()).toMatchObject({ id, attempts: 2 });
      expect(survivor.output()).toContain(`request ${id.slice(0, 8)}`);
      const runs = await db.prisma.jobRun.findMany({
        where: { jobName: job.name },
        orderBy: { startedAt: "asc" },
      });
      // The killed worker's run, found abandoned by the next run of the job; then the retry's.
      expect(
        runs.map((run) => run.status),
        survivor.output(),
      ).toEqual(["FAILED", "SUCCESS"]);
      expect(runs[1]).toMatchObject({ id: request?.runId, itemsProcessed: 10 });
    } finally {
      survivor.proc.kill("SIGTERM");
      await survivor.exited;
    }
  }, 60_000);
});
