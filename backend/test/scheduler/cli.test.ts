import { createTestDatabase, type TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertRun } from "../monitoring/support.ts";
import { cli } from "../support/cli.ts";
import { fixtures } from "../support/fixtures.ts";
import { markDead } from "../support/requests.ts";

// The CLI opens its own database from DATABASE_URL; the embedded test database lives in this
// process's memory, where no second opener can reach it.
describe.skipIf(!process.env.TEST_DATABASE_URL)("operator and monitoring commands", () => {
  let db: TestDatabase;
  const savedUrl = process.env.DATABASE_URL;
  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    const f = fixtures(db, new Date());
    await f.user({ id: "author" });
    await f.post({ id: "post-1", authorId: "author", createdAt: new Date() });
  });
  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    await db.close();
  });

  it("health exits 1 while a condition fires and 0 when none does", async () => {
    const unextracted = await cli("health");
    expect(unextracted.code).toBe(1);
    expect(unextracted.out).toMatch(
      /^FIRING {2}Table post_features: coverage 0\.0% of 1 non-deleted posts/,
    );
    await db.prisma.postFeatures.create({
      data: {
        postId: "post-1",
        topics: [],
        inputHash: "h",
        computedAt: new Date(),
        algorithmVersion: "t1",
      },
    });
    // match-scores ran for the only user too (no candidates: a bookkeeping row, no scores).
    await db.prisma.matchScoreViewer.create({
      data: {
        viewerUserId: "author",
        computedAt: new Date(),
        algorithmVersion: "t1",
        candidateCount: 0,
      },
    });
    const healthy = await cli("health");
    expect(healthy.code).toBe(0);
    expect(healthy.out).toMatch(/^ok {6}Table post_features: coverage 100\.0%/);
    expect(healthy.out).toMatch(/healthy$/);
    await insertRun(db, {
      jobName: "cleanup",
      status: "FAILED",
      startedAt: new Date(Date.now() - 60_000),
    });
    const sick = await cli("health", "--json");
    expect(sick.code).toBe(1);
    const parsed = JSON.parse(sick.out);
    expect(parsed.healthy).toBe(false);
    expect(parsed.checks).toContainEqual(
      expect.objectContaining({ key: "success-rate:cleanup:CRON", firing: true }),
    );
    await db.prisma.jobRun.deleteMany();
  });

  it("enqueue collapses duplicates; requests lists them; retry takes only dead ones, by prefix", async () => {
    const queued = await cli(
      "enqueue",
      "content-features",
      "--post-id",
      "post-1",
      "--reason",
      "post created",
    );
    expect(queued).toMatchObject({ code: 0, out: expect.stringMatching(/^queued request /) });
    const id = queued.out.replace("queued request ", "");
    expect((await cli("enqueue", "content-features", "--post-id", "post-1")).out).toBe(
      `already pending as request ${id}`,
    );
    expect((await cli("enqueue", "content-features", "--user-id", "author")).code).toBe(2);
    expect((await cli("enqueue", "content-features", "--post-id", "nope")).code).toBe(2);
    const listed = await cli("requests", "--state", "created");
    expect(listed.out).toContain(id.slice(0, 8));
    expect(listed.out).toContain("post created");
    expect(listed.out).toMatch(/content-features +\{"postId":"post-1"\} +created +0\/3 /);
    const notFailed = await cli("retry", id.slice(0, 8));
    expect(notFailed.code).toBe(2);
    expect(notFailed.err).toMatch(/is created; only failed requests can be retried/);
    // Its three attempts failed: pg-boss left it failed (and copied it to the dead letters).
    await markDead(db, id, "extraction failed");
    const dead = await cli("requests", "--state", "failed");
    expect(dead.out).toMatch(/ dead +3\/3 .*extraction failed/);
    const retried = await cli("retry", id.slice(0, 8));
    expect(retried).toMatchObject({
      code: 0,
      out: expect.stringMatching(new RegExp(`^requeued request ${id} as request [0-9a-f-]{36}$`)),
    });
    const again = retried.out.split(" ").at(-1) as string;
    const [requeued, ...others] = JSON.parse((await cli("requests", "--json")).out);
    expect(others).toEqual([]);
    expect(requeued).toMatchObject({ id: again, state: "created", attempts: 0 });
    expect((await cli("retry", "ffffffff")).code).toBe(2);
  });

  // A live run's cancel: test/cli/abandoned-runs.test.ts. This RUNNING row has no live process.
  it("cancel takes a unique prefix, refuses unknown and finished runs, and fails an abandoned one", async () => {
    const running = await insertRun(db, {
      jobName: "cleanup",
      status: "RUNNING",
      startedAt: new Date(),
    });
    const finished = await insertRun(db, {
      jobName: "cleanup",
      status: "SUCCESS",
      startedAt: new Date(),
    });
    expect((await cli("cancel", "no-such-run")).code).toBe(2);
    expect((await cli("cancel", "run-")).err).toMatch(/ambiguous/);
    const refused = await cli("cancel", finished);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/is SUCCESS, not RUNNING/);
    expect(await cli("cancel", running)).toMatchObject({
      code: 0,
      out: `cleanup run ${running} was abandoned: nobody holds cleanup's lock (it ran as process ? on host ?): recorded FAILED`,
    });
    const row = await db.prisma.jobRun.findUniqueOrThrow({ where: { id: running } });
    expect(row.status).toBe("FAILED");
  });

  it("pause and resume a job, kept in the database and shown by stats", async () => {
    expect((await cli("pause", "nope")).code).toBe(2);
    expect((await cli("pause", "cleanup", "--reason", "investigating")).out).toBe("paused cleanup");
    expect(await db.prisma.jobControl.findUnique({ where: { jobName: "cleanup" } })).toMatchObject({
      reason: "investigating",
    });
    const stats = await cli("stats");
    expect(stats.code).toBe(0);
    expect(stats.out).toMatch(/Paused jobs:\n {2}cleanup since .*: investigating/);
    expect(stats.out).toContain("Request queue: depth");
    expect((await cli("resume", "cleanup")).out).toBe("resumed cleanup");
    expect((await cli("resume", "cleanup")).out).toBe("cleanup was not paused");
    expect(JSON.parse((await cli("stats", "--json")).out).paused).toEqual([]);
  });
});
