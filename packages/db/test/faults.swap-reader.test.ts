import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { abandonRebuild, finishRebuild, rebuildCopyOf, startRebuild } from "../src/rebuild.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

const TABLES = ["match_scores", "match_score_viewers"];
const LOCK_TIMEOUT_MS = 300;

/**
 * A long reader holds match_scores while a rebuild swaps its copy in. The swap needs an
 * exclusive lock, and every read that arrives while it waits queues behind it: the swap must
 * wait only briefly, let them through, and retry. PostgreSQL only (one connection embedded).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a rebuild swap behind a long reader", () => {
  let db: TestDatabase;
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await db.close();
  });
  beforeEach(async () => {
    await db.prisma.$executeRawUnsafe("TRUNCATE users CASCADE");
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO users (id, display_name) VALUES ('a', 'A'), ('b', 'B')`,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO match_scores (viewer_user_id, candidate_user_id, score, reasons, algorithm_version)
       VALUES ('a', 'b', 0.1, '[]', 'old')`,
    );
    await abandonRebuild(db.prisma, TABLES);
    await startRebuild(db.prisma, TABLES);
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO ${rebuildCopyOf("match_scores")} (viewer_user_id, candidate_user_id, score, reasons, algorithm_version)
       VALUES ('b', 'a', 0.9, '[]', 'new')`,
    );
  });

  /** A transaction that has read match_scores and keeps it open until `release` is called. */
  async function longReader() {
    const client = await connect();
    await client.query("BEGIN");
    await client.query("SELECT count(*) FROM match_scores");
    return { release: () => client.query("COMMIT") };
  }

  /** Reads match_scores on a connection of its own every 50 ms until stopped; the slowest read. */
  function newReaders() {
    let stop = false;
    const done = (async () => {
      const client = await connect();
      let slowest = 0;
      while (!stop) {
        const started = Date.now();
        await client.query("SELECT count(*) FROM match_scores");
        slowest = Math.max(slowest, Date.now() - started);
        await sleep(50);
      }
      return slowest;
    })();
    return {
      stop: () => {
        stop = true;
        return done;
      },
    };
  }

  const versions = async () =>
    (
      await db.prisma.$queryRawUnsafe<{ v: string }[]>(
        "SELECT algorithm_version AS v FROM match_scores ORDER BY 1",
      )
    ).map((r) => r.v);

  it("never blocks new reads longer than its lock timeout, and swaps once the reader is done", async () => {
    const reader = await longReader();
    const readers = newReaders();
    const log: string[] = [];
    const swap = finishRebuild(db.prisma, TABLES, {
      timeoutMs: 30_000,
      lockTimeoutMs: LOCK_TIMEOUT_MS,
      attempts: 20,
      log: (line) => log.push(line),
    });
    await sleep(2_500);
    expect(await versions()).toEqual(["old"]);
    await reader.release();
    await swap;
    const slowest = await readers.stop();

    expect(await versions()).toEqual(["new"]);
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(log[0]).toMatch(
      /^swap of match_scores, match_score_viewers: locks not free within 0\.3 s \(attempt 1 of 20\); trying again in 0\.5 s$/,
    );
    // Without the lock timeout every read would wait for the long reader (2.5 s here).
    expect(slowest).toBeLessThan(LOCK_TIMEOUT_MS + 700);
  });

  it("gives up after its attempts with the table untouched, and the copy can be dropped", async () => {
    const reader = await longReader();
    const error = await finishRebuild(db.prisma, TABLES, {
      timeoutMs: 30_000,
      lockTimeoutMs: LOCK_TIMEOUT_MS,
      attempts: 2,
    }).catch((e: unknown) => e);
    await reader.release();
    expect((error as Error).message).toBe(
      "swap of match_scores, match_score_viewers: its locks were not free within 0.3 s in 2 attempts (long readers or writers; FEED_JOBS_SWAP_LOCK_TIMEOUT_MS, FEED_JOBS_SWAP_ATTEMPTS); the tables are unchanged",
    );
    expect(await versions()).toEqual(["old"]);
    expect(await abandonRebuild(db.prisma, TABLES)).toEqual([
      "match_scores_rebuild",
      "match_score_viewers_rebuild",
    ]);
  });
});
