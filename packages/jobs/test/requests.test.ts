import { type Database, openPostgres } from "@feed-jobs/db";
import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  backoffDelayMs,
  claimNext,
  complete,
  defineJob,
  enqueue,
  fail,
  heartbeat,
  listRequests,
  queueDepth,
  recoverAbandoned,
  release,
  retry,
  runJob,
} from "../src/index.ts";

const features = { name: "content-features", accepts: ["postId", "all"] as const };
const matches = { name: "match-scores", accepts: ["userId", "mode"] as const };
const T0 = new Date("2026-03-01T12:00:00.000Z");
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);
const at = (ms: number) => plus(T0, ms);
const owner = "test:1";
const jobs = [features.name, matches.name];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.prisma.jobRequest.deleteMany();
});

async function claimOrThrow(now: Date) {
  const claim = await claimNext(db, now, { owner, jobs });
  if (!claim) throw new Error(`expected a request due at ${now.toISOString()}`);
  return claim;
}

describe("enqueue", () => {
  it("collapses duplicate pending requests for the same job and scope into one", async () => {
    const first = await enqueue(
      db,
      features,
      { postId: "p1" },
      { now: T0, reason: "post created" },
    );
    const again = await enqueue(db, features, { postId: "p1" }, { now: at(5) });
    const other = await enqueue(db, features, { postId: "p2" }, { now: at(5) });
    const otherJob = await enqueue(db, matches, { userId: "p1" }, { now: at(5) });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.created && otherJob.created).toBe(true);
    expect(await queueDepth(db)).toBe(3);
  });

  it("queues a new request when the previous one is already running", async () => {
    const first = await enqueue(db, features, { postId: "p1" }, { now: T0 });
    expect((await claimNext(db, T0, { owner, jobs }))?.id).toBe(first.id);
    const second = await enqueue(db, features, { postId: "p1" }, { now: at(1) });
    expect(second.created).toBe(true);
    expect(second.id).not.toBe(first.id);
  });

  it("refuses a scope the job does not accept", async () => {
    await expect(enqueue(db, features, { userId: "u1" }, { now: T0 })).rejects.toThrow(
      /content-features does not accept userId/,
    );
  });
});

describe("claimNext", () => {
  it("claims due requests oldest first, marks them RUNNING, and skips other and paused jobs", async () => {
    const late = await enqueue(db, features, { postId: "late" }, { now: at(10) });
    const early = await enqueue(db, features, { postId: "early" }, { now: T0 });
    await enqueue(db, matches, { userId: "u1" }, { now: T0 });
    const first = await claimNext(db, at(10), { owner, jobs: [features.name] });
    expect(first).toMatchObject({ id: early.id, status: "RUNNING", attempts: 1, claimedBy: owner });
    expect(await claimNext(db, at(9), { owner, jobs: [features.name] })).toBeNull();
    expect((await claimNext(db, at(10), { owner, jobs, skip: [matches.name] }))?.id).toBe(late.id);
    expect(await claimNext(db, at(10), { owner, jobs, skip: [matches.name] })).toBeNull();
  });
});

describe("outcomes", () => {
  it("retries a failing request with exponential backoff, then leaves it FAILED with its error", async () => {
    const { id } = await enqueue(db, features, { postId: "p1" }, { now: T0 });
    const retryBaseMs = 1_000;
    let now = T0;
    for (const delay of [1_000, 2_000]) {
      const claim = await claimOrThrow(now);
      expect(await fail(db, claim, { now, error: "boom", retryBaseMs })).toBe("RETRY");
      expect(await claimNext(db, plus(now, delay - 1), { owner, jobs })).toBeNull();
      now = plus(now, delay);
    }
    const last = await claimOrThrow(now);
    expect(last).toMatchObject({ id, attempts: 3 });
    expect(await fail(db, last, { now, error: "boom at last", retryBaseMs })).toBe("FAILED");
    const stored = await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      status: "FAILED",
      attempts: 3,
      lastError: "boom at last",
      completedAt: now,
    });
    expect(await claimNext(db, at(3_600_000), { owner, jobs })).toBeNull();
  });

  it("computes the backoff as base · 2^(attempts − 1)", () => {
    expect([1, 2, 3, 4].map((attempts) => backoffDelayMs(60_000, attempts))).toEqual([
      60_000, 120_000, 240_000, 480_000,
    ]);
  });

  it("completes, releases without spending an attempt, and fails at once when final", async () => {
    await enqueue(db, features, { postId: "done" }, { now: T0 });
    await enqueue(db, features, { postId: "busy" }, { now: at(1) });
    await enqueue(db, features, { postId: "cancelled" }, { now: at(2) });
    const done = await claimOrThrow(at(2));
    const busy = await claimOrThrow(at(2));
    const cancelled = await claimOrThrow(at(2));
    expect(await complete(db, done, { now: at(3), runId: "run-1" })).toBe(true);
    expect(await release(db, busy, { runAfter: at(500), reason: "busy" })).toBe(true);
    expect(
      await fail(db, cancelled, {
        now: at(3),
        error: "cancelled by an operator",
        retryBaseMs: 1,
        final: true,
      }),
    ).toBe("FAILED");
    const rows = await listRequests(db);
    const byScope = Object.fromEntries(rows.map((r) => [r.scopeKey, r]));
    expect(byScope['{"postId":"done"}']).toMatchObject({
      status: "DONE",
      runId: "run-1",
      completedAt: at(3),
    });
    expect(byScope['{"postId":"busy"}']).toMatchObject({
      status: "RETRY",
      attempts: 0,
      runAfter: at(500),
    });
    expect(byScope['{"postId":"cancelled"}']).toMatchObject({ status: "FAILED", attempts: 1 });
  });

  it("lets an operator retry a FAILED request, and only a FAILED one", async () => {
    const { id } = await enqueue(db, features, { postId: "p1" }, { now: T0, maxAttempts: 1 });
    const claim = await claimOrThrow(T0);
    expect(await retry(db, id, at(1))).toBe(false);
    expect(await fail(db, claim, { now: at(1), error: "boom", retryBaseMs: 1 })).toBe("FAILED");
    expect(await retry(db, id, at(2))).toBe(true);
    expect(await claimNext(db, at(2), { owner, jobs })).toMatchObject({ id, attempts: 1 });
  });

  it("recovers a claim whose heartbeat is stale, not an old one whose worker beats", async () => {
    const { id } = await enqueue(db, features, { postId: "p1" }, { now: T0, maxAttempts: 2 });
    const claim = await claimOrThrow(T0);
    expect(await recoverAbandoned(db, at(59_999), 60_000)).toBe(0);
    expect(await heartbeat(db, claim, at(50_000))).toBe(true);
    expect(await recoverAbandoned(db, at(100_000), 60_000)).toBe(0);
    expect(await recoverAbandoned(db, at(110_001), 60_000)).toBe(1);
    // The worker finds out at its next beat; a success it still reports is recorded.
    expect(await heartbeat(db, claim, at(110_002))).toBe(false);
    expect(await complete(db, claim, { now: at(110_003), runId: "late" })).toBe(true);
    expect(await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "DONE",
      runId: "late",
      attempts: 1,
    });
  });

  it("ignores the outcome of a recovered claim once the request was claimed again", async () => {
    const { id } = await enqueue(db, features, { postId: "p1" }, { now: T0, maxAttempts: 2 });
    const claim = await claimOrThrow(T0);
    expect(await recoverAbandoned(db, at(60_001), 60_000)).toBe(1);
    const again = await claimNext(db, at(60_002), { owner, jobs });
    expect(again).toMatchObject({
      id,
      attempts: 2,
      lastError: expect.stringMatching(/^abandoned/),
    });
    expect(await complete(db, claim, { now: at(60_003), runId: "late" })).toBe(false);
    expect(await fail(db, claim, { now: at(60_003), error: "late", retryBaseMs: 1 })).toBe("lost");
    expect(await recoverAbandoned(db, at(200_000), 60_000)).toBe(1);
    expect(await db.prisma.jobRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
    });
  });

  it("leaves a stale claim alone while its job's lock is held: the run may be its own", async () => {
    await enqueue(db, features, { postId: "p1" }, { now: T0 });
    await claimOrThrow(T0);
    let finish!: () => void;
    const running = runJob(
      db,
      defineJob({
        name: features.name,
        description: "holds content-features' lock",
        algorithmVersion: "t1",
        schedules: [],
        config: z.strictObject({}),
        budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
        accepts: [],
        run: () => new Promise<void>((resolve) => (finish = resolve)),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await recoverAbandoned(db, at(600_000), 60_000)).toBe(0);
    finish();
    await running;
    expect(await recoverAbandoned(db, at(600_000), 60_000)).toBe(1);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("concurrent claimers on PostgreSQL", () => {
  it("skips a request another transaction has locked instead of waiting for it", async () => {
    const locked = await enqueue(db, features, { postId: "locked" }, { now: T0 });
    const free = await enqueue(db, features, { postId: "free" }, { now: at(1) });
    const holder = openPostgres(db.url as string, { poolSize: 1 });
    try {
      // The holder's transaction keeps the row locked while this connection claims.
      await holder.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM job_requests WHERE id = ${locked.id} FOR UPDATE`;
        expect((await claimNext(db, at(1), { owner, jobs }))?.id).toBe(free.id);
        expect(await claimNext(db, at(1), { owner, jobs })).toBeNull();
      });
    } finally {
      await holder.close();
    }
    expect((await claimNext(db, at(1), { owner, jobs }))?.id).toBe(locked.id);
  });

  it("never gives the same request to two workers claiming at the same time", async () => {
    const total = 60;
    for (let i = 0; i < total; i++) await enqueue(db, features, { postId: `p${i}` }, { now: T0 });
    const other: Database = openPostgres(db.url as string, { poolSize: 4 });
    try {
      const drain = async (worker: Database, name: string) => {
        const taken: string[] = [];
        for (;;) {
          const claim = await claimNext(worker, T0, { owner: name, jobs });
          if (!claim) return taken;
          taken.push(claim.id);
        }
      };
      const [a, b, c, d] = await Promise.all([
        drain(db, "a"),
        drain(other, "b"),
        drain(db, "c"),
        drain(other, "d"),
      ]);
      const all = [...a, ...b, ...c, ...d];
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      expect([a, b, c, d].filter((taken) => taken.length > 0).length).toBeGreaterThan(1);
    } finally {
      await other.close();
    }
  });
});
