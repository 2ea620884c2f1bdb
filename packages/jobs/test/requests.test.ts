import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEAD_LETTERS,
  enqueue,
  findRequestsByIdPrefix,
  listRequests,
  NotRetriable,
  openQueue,
  type Queue,
  queueDepth,
  queueSettings,
  requestCounts,
  retry,
  runQueue,
} from "../src/index.ts";

const features = { name: "content-features", accepts: ["postId", "all"] as const };
const matches = { name: "match-scores", accepts: ["userId", "mode"] as const };
const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let db: TestDatabase;
let queue: Queue;
beforeAll(async () => {
  db = await createTestDatabase();
  // Two attempts: the first failure retries, the second is dead.
  const settings = { ...queueSettings({}), requestAttempts: 2 };
  queue = await openQueue(db, [features.name, matches.name], { settings });
});
afterAll(async () => {
  await queue.stop({ graceful: false, wait: true });
  await db.close();
});
beforeEach(async () => {
  await db.executeSql("TRUNCATE pgboss.job, pgboss.archive");
});

/** Takes the next request of `job` as a worker does; throws when none is due. */
async function take(job: string) {
  const [taken] = await queue.fetch(runQueue(job));
  if (!taken) throw new Error(`no request of ${job} is due`);
  return taken;
}

/** Fails every attempt of the next request of `job` until it is dead. */
async function failUntilDead(job: string, error: string) {
  const taken = await take(job);
  await queue.fail(runQueue(job), taken.id, new Error(error));
  // Due at once, past its retry delay (a minute back: pg-boss fetches start_after < now(), and
  // the two statements can read the same clock tick).
  await db.executeSql(
    "UPDATE pgboss.job SET start_after = now() - interval '1 minute' WHERE id = $1",
    [taken.id],
  );
  const again = await take(job);
  await queue.fail(runQueue(job), again.id, new Error(error));
  return taken.id;
}

describe("enqueue", () => {
  it("collapses a request into a queued twin with the same job and scope", async () => {
    const first = await enqueue(
      queue,
      features,
      { postId: "p1" },
      { now: T0, reason: "post created" },
    );
    const again = await enqueue(queue, features, { postId: "p1" }, { now: at(5) });
    const other = await enqueue(queue, features, { postId: "p2" }, { now: at(5) });
    const otherJob = await enqueue(queue, matches, { userId: "p1" }, { now: at(5) });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.created && otherJob.created).toBe(true);
    expect(await queueDepth(db)).toBe(3);
  });

  it("queues a new request once the previous one has started", async () => {
    const first = await enqueue(queue, features, { postId: "p1" }, { now: T0 });
    expect((await take(features.name)).id).toBe(first.id);
    const second = await enqueue(queue, features, { postId: "p1" }, { now: at(1) });
    expect(second.created).toBe(true);
    expect(second.id).not.toBe(first.id);
  });

  it("sends the run message a worker receives", async () => {
    await enqueue(queue, matches, { userId: "u1" }, { now: T0, reason: "quiz updated" });
    expect((await take(matches.name)).data).toEqual({
      trigger: "EVENT",
      options: { userId: "u1" },
      reason: "quiz updated",
      requestedAt: T0.toISOString(),
    });
  });

  it("refuses a scope the job does not accept", async () => {
    await expect(enqueue(queue, features, { userId: "u1" }, { now: T0 })).rejects.toThrow(
      /content-features does not accept userId/,
    );
  });
});

describe("listing", () => {
  it("lists requests newest first with state, attempts and the last error; filters by state and job", async () => {
    const older = await enqueue(queue, features, { postId: "p1" }, { now: T0, reason: "a" });
    const taken = await take(features.name);
    await queue.fail(runQueue(features.name), taken.id, new Error("connection reset"));
    const newer = await enqueue(queue, matches, { userId: "u1" }, { now: at(1), reason: "b" });
    const all = await listRequests(db);
    expect(all.map((r) => [r.id, r.job, r.state, r.attempts, r.maxAttempts, r.lastError])).toEqual([
      [newer.id, matches.name, "created", 0, 2, null],
      [older.id, features.name, "retry", 1, 2, "connection reset"],
    ]);
    expect(all[1]?.message).toMatchObject({ options: { postId: "p1" }, reason: "a" });
    expect(all[1]?.singletonKey).toBe('{"postId":"p1"}');
    expect((await listRequests(db, { state: "retry" })).map((r) => r.id)).toEqual([older.id]);
    expect((await listRequests(db, { job: matches.name })).map((r) => r.id)).toEqual([newer.id]);
    expect((await listRequests(db, { limit: 1 })).map((r) => r.id)).toEqual([newer.id]);
    expect((await findRequestsByIdPrefix(db, older.id.slice(0, 8))).map((r) => r.id)).toEqual([
      older.id,
    ]);
    expect(await findRequestsByIdPrefix(db, "zz")).toEqual([]);
    expect(await queueDepth(db)).toBe(2);
  });

  it("counts requests by state, archived ones included, and not the dead letters", async () => {
    await enqueue(queue, features, { postId: "p1" }, { now: T0 });
    await enqueue(queue, features, { postId: "p2" }, { now: T0 });
    const done = await take(features.name);
    await queue.complete(runQueue(features.name), done.id);
    await db.executeSql("UPDATE pgboss.job SET completed_on = now() - interval '2 days'");
    await db.executeSql(
      `INSERT INTO pgboss.archive SELECT *, now() FROM pgboss.job WHERE state = 'completed'`,
    );
    await db.executeSql("DELETE FROM pgboss.job WHERE state = 'completed'");
    await enqueue(queue, matches, { userId: "u1" }, { now: T0 });
    await failUntilDead(matches.name, "boom");
    expect(await requestCounts(db)).toEqual({
      created: 1,
      retry: 0,
      active: 0,
      completed: 1,
      cancelled: 0,
      failed: 1,
    });
    const [archived] = await listRequests(db, { state: "completed" });
    expect(archived?.archived).toBe(true);
    expect(await queueDepth(db)).toBe(1);
  });
  it("finds the requests of a run by the run id the worker left in their output", async () => {
    const sent = await enqueue(queue, features, { postId: "p1" }, { now: T0 });
    await enqueue(queue, features, { postId: "p2" }, { now: T0 });
    const taken = await take(features.name);
    await queue.complete(runQueue(features.name), taken.id, { runId: "run-1", status: "SUCCESS" });
    const ran = await listRequests(db, { runId: "run-1" });
    expect(ran.map((r) => [r.id, r.state, r.runId, r.lastError])).toEqual([
      [taken.id, "completed", "run-1", null],
    ]);
    expect(taken.id).toBe(sent.id);
  });
});

describe("retry", () => {
  it("queues a dead request again with its message and full attempts, and removes the dead one", async () => {
    const sent = await enqueue(queue, matches, { userId: "u1" }, { now: T0, reason: "quiz" });
    await failUntilDead(matches.name, "scoring failed");
    const [dead] = await listRequests(db, { state: "failed" });
    expect(dead).toMatchObject({ id: sent.id, attempts: 2, lastError: "scoring failed" });
    expect((await queue.fetch(DEAD_LETTERS)).length).toBe(1);

    const retried = await retry(queue, sent.id);
    expect(retried?.created).toBe(true);
    expect(await listRequests(db, { state: "failed" })).toEqual([]);
    const [again] = await listRequests(db);
    expect(again).toMatchObject({ id: retried?.id, state: "created", attempts: 0 });
    expect((await take(matches.name)).data).toEqual(dead?.message);
  });

  it("refuses a request that is not dead, and knows no unknown one", async () => {
    const sent = await enqueue(queue, features, { postId: "p1" }, { now: T0 });
    await expect(retry(queue, sent.id)).rejects.toThrow(NotRetriable);
    await expect(retry(queue, sent.id)).rejects.toThrow(/is created; only failed requests/);
    expect(await retry(queue, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });
});
