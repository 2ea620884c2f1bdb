import { migrate, readMigrations } from "@feed-jobs/db";
import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRequests, openQueue, type Queue, runQueue } from "../src/index.ts";

/**
 * Migration 20261202110000_pg_boss_queue carries the requests still to run from job_requests
 * into pg-boss: a database one migration before it, with requests in every status, migrated.
 */

const CARRYING = "20261202110000_pg_boss_queue";
const ID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

let db: TestDatabase;
let queue: Queue;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.executeSql(
    "DROP SCHEMA public CASCADE; DROP SCHEMA IF EXISTS pgboss CASCADE; CREATE SCHEMA public",
  );
  await migrate(
    db,
    readMigrations().filter((m) => m.name < CARRYING),
  );
  await db.executeSql(`
    INSERT INTO job_requests
      (id, job_name, scope, scope_key, reason, status, attempts, max_attempts, run_after,
       created_at, started_at, completed_at, last_error)
    VALUES
      ('${ID(1)}', 'content-features', '{"postId":"p1"}', '{"postId":"p1"}', 'post created',
       'PENDING', 0, 3, '2026-03-01 12:00:00', '2026-03-01 12:00:00', NULL, NULL, NULL),
      ('${ID(2)}', 'match-scores', '{"userId":"u1"}', '{"userId":"u1"}', 'quiz updated',
       'RETRY', 1, 3, '2026-03-01 12:05:00', '2026-03-01 12:01:00.250', '2026-03-01 12:02:00',
       NULL, 'connection reset'),
      ('${ID(3)}', 'match-scores', '{"userId":"u2"}', '{"userId":"u2"}', NULL,
       'DONE', 1, 3, '2026-03-01 12:00:00', '2026-03-01 12:00:00', '2026-03-01 12:00:01',
       '2026-03-01 12:00:02', NULL),
      ('${ID(4)}', 'affinity', '{"userId":"u3"}', '{"userId":"u3"}', NULL,
       'FAILED', 3, 3, '2026-03-01 12:00:00', '2026-03-01 12:00:00', '2026-03-01 12:00:01',
       '2026-03-01 12:00:02', 'boom'),
      ('${ID(5)}', 'content-features', '{"postId":"p2"}', '{"postId":"p2"}', NULL,
       'RUNNING', 1, 3, '2026-03-01 12:00:00', '2026-03-01 11:00:00', '2026-03-01 12:00:00',
       NULL, NULL)`);
  const result = await migrate(db);
  expect(result.applied).toContain(CARRYING);
  queue = await openQueue(db, ["content-features", "match-scores", "affinity"]);
});
afterAll(async () => {
  await queue?.stop({ graceful: false, wait: true });
  await db.close();
});

describe(`migration ${CARRYING}`, () => {
  it("installs pg-boss's schema at the version pg-boss 10.4.2 expects, and drops job_requests", async () => {
    expect(await queue.schemaVersion()).toBe(24);
    const { rows } = await db.executeSql("SELECT to_regclass('job_requests') AS t");
    expect(rows[0]?.t).toBeNull();
  });

  it("carries the requests still to run as queued pg-boss jobs, not the finished ones", async () => {
    const carried = await listRequests(db);
    expect(carried.map((r) => [r.id, r.job, r.state, r.attempts, r.lastError])).toEqual([
      [ID(2), "match-scores", "retry", 1, "connection reset"],
      [ID(1), "content-features", "created", 0, null],
      [ID(5), "content-features", "retry", 1, null],
    ]);
    expect(carried[0]?.createdAt).toEqual(new Date("2026-03-01T12:01:00.250Z"));
    expect(carried[0]?.startAfter).toEqual(new Date("2026-03-01T12:05:00Z"));
  });

  it("hands them to a worker with their run message, under their scope key", async () => {
    const taken = await queue.fetch(runQueue("content-features"), {
      batchSize: 2,
      includeMetadata: true,
    });
    expect(taken.map((job) => job.id).sort()).toEqual([ID(1), ID(5)]);
    const postCreated = taken.find((job) => job.id === ID(1));
    expect(postCreated).toMatchObject({
      singletonKey: '{"postId":"p1"}',
      data: {
        trigger: "EVENT",
        options: { postId: "p1" },
        reason: "post created",
        requestedAt: "2026-03-01T12:00:00.000Z",
      },
      retryLimit: 2,
      retryDelay: 60,
      retryBackoff: true,
      deadLetter: "dead-letters",
      policy: "short",
    });
    expect(Number(postCreated?.expireInSeconds)).toBe(3600);
    expect(await queue.fetch(runQueue("affinity"))).toEqual([]);
  });

  it("counts carried attempts against the queue's: a carried retry is dead after two more", async () => {
    const name = runQueue("match-scores");
    const [second] = await queue.fetch(name);
    expect(second?.data).toEqual({
      trigger: "EVENT",
      options: { userId: "u1" },
      reason: "quiz updated",
      requestedAt: "2026-03-01T12:01:00.250Z",
    });
    await queue.fail(name, ID(2), new Error("again"));
    await db.executeSql(
      "UPDATE pgboss.job SET start_after = now() - interval '1 minute' WHERE id = $1",
      [ID(2)],
    );
    expect((await queue.fetch(name)).map((job) => job.id)).toEqual([ID(2)]);
    await queue.fail(name, ID(2), new Error("and again"));
    const [dead] = await listRequests(db, { job: "match-scores" });
    expect(dead).toMatchObject({ state: "failed", attempts: 3, lastError: "and again" });
  });
});
