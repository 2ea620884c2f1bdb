import { setTimeout as sleep } from "node:timers/promises";
import {
  createTestDatabase,
  type FaultProxy,
  startFaultProxy,
  type TestDatabase,
} from "@feed-jobs/db/testing";
import { enqueue, openQueue, type Queue, runQueue } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSchedulerChild } from "../scheduler/support/child.ts";
import { eventually } from "../scheduler/support/in-process.ts";
import { eventJob } from "../scheduler/support/test-jobs.ts";
import { fixtures } from "../support/fixtures.ts";

/**
 * Long enough for the worker's backoff to show: claims fail at 0, 1, 3 and 7 s (four lines);
 * polling every second would log eight.
 */
const OUTAGE_MS = 8_000;

/**
 * The scheduler's event worker while the database is stopped, through a proxy that every
 * connection of the scheduler goes through. PostgreSQL only: the embedded database has no
 * server to lose.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "the event worker while the database is stopped (PostgreSQL only)",
  () => {
    let db: TestDatabase;
    let proxy: FaultProxy;
    let queue: Queue;

    beforeAll(async () => {
      db = await createTestDatabase();
      proxy = await startFaultProxy(db.url as string);
      const f = fixtures(db, new Date());
      await f.user({ id: "author" });
      for (const id of ["before", "during"])
        await f.post({ id, authorId: "author", createdAt: new Date() });
      queue = await openQueue(db, [eventJob.name]);
    }, 120_000);
    afterAll(async () => {
      await queue?.stop({ close: false });
      await proxy?.close();
      await db?.close();
    });

    const done = (id: string, timeoutMs: number) =>
      eventually(async () => {
        const request = await queue.getJobById(runQueue(eventJob.name), id);
        return request?.state === "completed" ? (request.output as { runId: string }) : undefined;
      }, timeoutMs);

    it("backs off with one short line per attempt naming the cause, says when the database is back, and runs what was queued meanwhile", async () => {
      const child = startSchedulerChild({
        ...process.env,
        DATABASE_URL: proxy.url(db.url as string),
        SCENARIO: "events",
        // pg-boss's polls fail silently; its maintenance (every second here) reports the outage.
        FEED_JOBS_QUEUE_MAINTENANCE_SECONDS: "1",
      });
      try {
        const before = await enqueue(queue, eventJob, { postId: "before" }, { now: new Date() });
        await done(before.id, 20_000);
        await proxy.stop();
        const outageStart = child.output().length;
        // Queued while the scheduler cannot reach the database (the test's own connection can).
        const during = await enqueue(queue, eventJob, { postId: "during" }, { now: new Date() });
        await sleep(OUTAGE_MS);
        expect(child.proc.exitCode).toBeNull();
        const outage = child.output().slice(outageStart);
        await proxy.resume();

        const handled = await done(during.id, 15_000);
        const run = await db.prisma.jobRun.findUniqueOrThrow({
          where: { id: handled.runId },
        });
        expect(run).toMatchObject({
          trigger: "EVENT",
          status: "SUCCESS",
          scope: { postId: "during" },
        });
        await eventually(async () =>
          child.output().includes("worker: database available again") ? true : undefined,
        );

        const attempts = outage.split("\n").filter((line) => line.startsWith("worker:"));
        expect(attempts.length).toBeGreaterThanOrEqual(2);
        expect(attempts.length).toBeLessThanOrEqual(5);
        for (const line of attempts) {
          expect(line).toMatch(
            /^worker: database unavailable — postgres:\/\/\S+: (connection refused at 127\.0\.0\.1:\d+ \(is the server running\?\)|lost the connection to the database( \(.+\))?); retrying in \d+ s$/,
          );
          expect(line.length).toBeLessThan(200);
        }
        const delays = attempts.map((line) => Number(line.match(/retrying in (\d+) s$/)?.[1]));
        expect(delays.slice(0, 3)).toEqual([1, 2, 4].slice(0, delays.length));
        expect(child.output()).not.toMatch(/Unhandled|uncaught|Invalid `prisma/i);
        expect(child.proc.exitCode).toBeNull();
      } finally {
        child.proc.kill("SIGTERM");
        await child.exited;
      }
    }, 60_000);
  },
);
