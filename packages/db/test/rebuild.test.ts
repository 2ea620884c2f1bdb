import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../src/database.ts";
import { abandonRebuild, finishRebuild, rebuildCopyOf, startRebuild } from "../src/rebuild.ts";
import { createTestDatabase } from "../src/testing.ts";

const TABLES = ["match_scores", "match_score_viewers"];
let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.prisma.$executeRawUnsafe("TRUNCATE users CASCADE");
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO users (id, display_name) VALUES ('a', 'A'), ('b', 'B'), ('c', 'C')`,
  );
  await insertScores("match_scores", [["a", "b", 0.1]]);
});

async function insertScores(table: string, rows: [string, string, number][]) {
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO ${table} (viewer_user_id, candidate_user_id, score, reasons, algorithm_version)
     SELECT v, c, s, '[]', 'test' FROM unnest($1::text[], $2::text[], $3::float8[]) AS t(v, c, s)`,
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
  );
}

/** What the migrations made of a table: its indexes and constraints, by name. */
async function shape(table: string) {
  const indexes = await db.prisma.$queryRawUnsafe<{ name: string; def: string }[]>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1 ORDER BY 1`,
    table,
  );
  const constraints = await db.prisma.$queryRawUnsafe<{ name: string; def: string }[]>(
    `SELECT conname::text AS name, pg_get_constraintdef(oid) AS def, convalidated
     FROM pg_constraint WHERE conrelid = $1::regclass ORDER BY 1`,
    table,
  );
  return { indexes, constraints };
}

const scores = () =>
  db.prisma.$queryRawUnsafe<{ v: string; c: string; score: number }[]>(
    "SELECT viewer_user_id AS v, candidate_user_id AS c, score FROM match_scores ORDER BY 1, 2",
  );

describe("table rebuilds", () => {
  it("swaps the copy in with the table's own indexes, keys and names, dropping orphans", async () => {
    const before = await Promise.all(TABLES.map(shape));
    await startRebuild(db.prisma, TABLES);
    const copy = rebuildCopyOf("match_scores");
    await insertScores(copy, [
      ["a", "c", 0.9],
      ["b", "a", 0.5],
      ["a", "ghost", 0.4],
    ]);
    // Readers still see the old rows while the copy fills.
    expect(await scores()).toEqual([{ v: "a", c: "b", score: 0.1 }]);
    await db.prisma.$executeRawUnsafe("DELETE FROM users WHERE id = 'b'");
    await finishRebuild(db.prisma, TABLES, { timeoutMs: 30_000 });

    expect(await scores()).toEqual([{ v: "a", c: "c", score: 0.9 }]);
    expect(await Promise.all(TABLES.map(shape))).toEqual(before);
    // The keys work again: deleting a user cascades into the rebuilt table.
    await db.prisma.$executeRawUnsafe("DELETE FROM users WHERE id = 'c'");
    expect(await scores()).toEqual([]);
  });

  it("leaves the tables untouched when abandoned", async () => {
    const before = await Promise.all(TABLES.map(shape));
    await startRebuild(db.prisma, TABLES);
    await insertScores(rebuildCopyOf("match_scores"), [["a", "c", 0.9]]);
    await abandonRebuild(db.prisma, TABLES);
    expect(await scores()).toEqual([{ v: "a", c: "b", score: 0.1 }]);
    expect(await Promise.all(TABLES.map(shape))).toEqual(before);
    const left = await db.prisma.$queryRawUnsafe<unknown[]>(
      "SELECT 1 FROM pg_class WHERE relname LIKE '%\\_rebuild'",
    );
    expect(left).toEqual([]);
  });

  it("starts over from a copy an interrupted rebuild left", async () => {
    await startRebuild(db.prisma, TABLES);
    await insertScores(rebuildCopyOf("match_scores"), [["a", "c", 0.9]]);
    await startRebuild(db.prisma, TABLES);
    await finishRebuild(db.prisma, TABLES, { timeoutMs: 30_000 });
    expect(await scores()).toEqual([]);
  });
});
