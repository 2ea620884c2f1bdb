import { setTimeout as sleep } from "node:timers/promises";
import {
  createTestDatabase,
  type FaultProxy,
  startFaultProxy,
  type TestDatabase,
} from "@feed-jobs/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSchedulerChild } from "../scheduler/support/child.ts";
import {
  fullRun,
  matchTables,
  NEW_RUN,
  OLD_RUN,
  rebuildCopies,
  seedPopulation,
  startFullRunCli,
} from "./support.ts";

/**
 * The database stopped or frozen under a running CLI run and a running scheduler, through a
 * proxy that every connection of the process under test goes through (pool and lock alike).
 * The process lives and says what happened; the run ends FAILED, or, when even that cannot be
 * written, the process names the job and exits 4 and the next run reaps it. PostgreSQL only.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("the database lost mid-run", () => {
  let db: TestDatabase;
  let proxy: FaultProxy;
  let proxied: string;
  const lists = new Map<Date, string[]>();
  /** Paused at the first stage of the rebuild for this long, while the test breaks the database. */
  const pause = { FEED_JOBS_PAUSE_AT: "rebuild:scoring", FEED_JOBS_PAUSE_MS: "1500" };

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startFaultProxy(db.url as string);
    proxied = proxy.url(db.url as string);
    await seedPopulation(db, 100);
    for (const asOf of [NEW_RUN, OLD_RUN]) {
      await fullRun(db, asOf);
      lists.set(asOf, await matchTables(db));
    }
  }, 120_000);
  beforeEach(async () => {
    await proxy.resume();
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.close();
  });

  /** The lists are the old run's, whole; a rerun writes exactly what an uninterrupted run does. */
  async function expectOldListsThenIdenticalRerun() {
    expect(await matchTables(db)).toEqual(lists.get(OLD_RUN));
    await fullRun(db, NEW_RUN);
    expect(await rebuildCopies(db)).toEqual([]);
    expect(await matchTables(db)).toEqual(lists.get(NEW_RUN));
    await fullRun(db, OLD_RUN);
  }

  it("stopped and back: the run notices its lost lock, ends FAILED and says so (exit 1)", async () => {
    const child = startFullRunCli(proxied, NEW_RUN, pause);
    await child.waitFor("paused at rebuild:scoring");
    await proxy.stop();
    await sleep(200);
    await proxy.resume();
    const exit = await child.exited;
    expect(child.output()).not.toMatch(/Unhandled|uncaught/i);
    expect(exit.code).toBe(1);
    expect(child.output()).toMatch(
      /match-scores: FAILED .*\n {2}error: match-scores no longer holds its lock: .*lost the connection holding the lock "job:match-scores"/,
    );
    const [run] = await db.prisma.jobRun.findMany({
      where: { jobName: "match-scores" },
      orderBy: { startedAt: "desc" },
      take: 1,
    });
    expect(run).toMatchObject({ status: "FAILED", asOf: NEW_RUN });
    expect(run?.error).toMatch(/no longer holds its lock/);
    await expectOldListsThenIdenticalRerun();
  });

  it("stopped for good: the process names the job and exits 4; the next run reaps it", async () => {
    const child = startFullRunCli(proxied, NEW_RUN, pause);
    await child.waitFor("paused at rebuild:scoring");
    await proxy.stop();
    const exit = await child.exited;
    expect(child.output()).not.toMatch(/Unhandled|uncaught/i);
    expect(exit.code).toBe(4);
    expect(child.output()).toMatch(
      /error: match-scores: run [0-9a-f-]+ ended FAILED \(.*\) but could not be recorded; the next run of match-scores marks it abandoned: postgres:\/\/.*: connection refused at 127\.0\.0\.1:\d+/,
    );
    await proxy.resume();
    expect(await db.prisma.jobRun.count({ where: { status: "RUNNING" } })).toBe(1);
    await expectOldListsThenIdenticalRerun();
    expect(await db.prisma.jobRun.count({ where: { status: "RUNNING" } })).toBe(0);
  });

  it("frozen: the run gives up after the configured timeout and says which (exit 4)", async () => {
    const child = startFullRunCli(proxied, NEW_RUN, {
      ...pause,
      FEED_JOBS_STATEMENT_TIMEOUT_MS: "1000",
      FEED_JOBS_CONNECT_TIMEOUT_MS: "1000",
    });
    await child.waitFor("paused at rebuild:scoring");
    proxy.freeze();
    const frozenAt = Date.now();
    const exit = await child.exited;
    expect(exit.code).toBe(4);
    // A few waits of 2 s each (the run's query, dropping the copies, recording, unlocking).
    expect(exit.at - frozenAt).toBeLessThan(15_000);
    expect(child.output()).toMatch(
      // Whichever limit a connection meets first: an answer to a query, or a new connection.
      /error: match-scores: run [0-9a-f-]+ ended FAILED \(the (database did not answer within 2 s \(FEED_JOBS_STATEMENT_TIMEOUT_MS = 1 s, plus 1 s\)|server did not answer within 1 s while connecting \(FEED_JOBS_CONNECT_TIMEOUT_MS\))/,
    );
    await proxy.resume();
    await expectOldListsThenIdenticalRerun();
  });

  it("the scheduler keeps running while the database is stopped, and runs its ticks again after", async () => {
    const child = startSchedulerChild({ ...process.env, DATABASE_URL: proxied, SCENARIO: "ticks" });
    try {
      await child.waitFor("tick-job (CRON): SUCCESS");
      await proxy.stop();
      await child.waitFor("database unavailable");
      await sleep(3_000);
      expect(child.proc.exitCode).toBeNull();
      await proxy.resume();
      const before = child.output().length;
      for (let waited = 0; waited < 20_000; waited += 100) {
        if (child.output().slice(before).includes("tick-job (CRON): SUCCESS")) break;
        await sleep(100);
      }
      expect(child.output().slice(before)).toContain("tick-job (CRON): SUCCESS");
      expect(child.output()).not.toMatch(/Unhandled|uncaught/i);
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
    }
  });
});
