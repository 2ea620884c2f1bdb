import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/database.ts";
import { asUnavailable, describeDatabaseError } from "../src/errors.ts";
import { openPostgres } from "../src/postgres.ts";
import {
  createTestDatabase,
  type FaultProxy,
  startFaultProxy,
  type TestDatabase,
} from "../src/testing.ts";

/**
 * Connections through a proxy that can drop or freeze them all (a stopped or frozen server).
 * PostgreSQL only: the embedded database has no connection to lose.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a lost or frozen PostgreSQL server", () => {
  let server: TestDatabase;
  let proxy: FaultProxy;
  let db: Database;

  beforeAll(async () => {
    server = await createTestDatabase();
    proxy = await startFaultProxy(server.url as string);
    // This file's own process: short limits, read by the connections and by the messages.
    process.env.FEED_JOBS_STATEMENT_TIMEOUT_MS = "1000";
    process.env.FEED_JOBS_CONNECT_TIMEOUT_MS = "1000";
    db = openPostgres(proxy.url(server.url as string));
  });
  afterAll(async () => {
    await proxy.resume();
    await db.close();
    await proxy.close();
    await server.close();
  });

  it("tells a lock holder that its connection was lost, and gives the lock up without error", async () => {
    const lock = await db.tryLock("faults");
    expect(lock?.lost).toBeUndefined();
    await db.prisma.$queryRaw`SELECT 1`; // an idle pool connection too
    await proxy.stop();
    for (let waited = 0; !lock?.lost && waited < 5_000; waited += 20) await sleep(20);
    expect(lock?.lost?.message).toMatch(/lost the connection holding the lock "faults"/);
    await lock?.release();

    const refused = await db.prisma.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    expect(asUnavailable(refused, db.location)?.message).toMatch(
      /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+: connection refused at 127\.0\.0\.1:\d+/,
    );
    await proxy.resume();
    expect(await db.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    const again = await db.tryLock("faults");
    expect(again).not.toBeNull();
    await again?.release();
  });

  it("gives up on a frozen server after the statement timeout plus its grace, and recovers", async () => {
    await db.prisma.$queryRaw`SELECT 1`;
    proxy.freeze();
    const started = Date.now();
    const error = await db.prisma.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(waited).toBeLessThan(5_000);
    expect(describeDatabaseError(error)).toMatch(
      /the database did not answer within 2 s \(FEED_JOBS_STATEMENT_TIMEOUT_MS = 1 s, plus 1 s\)/,
    );
    await proxy.resume();
    // The connection that timed out was dropped, not reused mid-query.
    expect(await db.prisma.$queryRaw`SELECT 2 AS two`).toEqual([{ two: 2 }]);
  });

  it("reports a server statement timeout as such", async () => {
    const error = await db.prisma.$queryRaw`SELECT pg_sleep(3)`.catch((e: unknown) => e);
    expect(describeDatabaseError(error)).toBe(
      "a statement ran longer than 1 s and was cancelled (FEED_JOBS_STATEMENT_TIMEOUT_MS)",
    );
  });
});
