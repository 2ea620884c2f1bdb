import { abandonRebuild, type Database, startRebuild } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { computeAsOf, type JobContext, runJob } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import type { ScoredList } from "../../src/jobs/matchScores/batch.ts";
import {
  clockOf,
  type MatchScoresConfig,
  matchScoresConfig,
} from "../../src/jobs/matchScores/config.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { loadPopulation, loadReachable } from "../../src/jobs/matchScores/profiles.ts";
import { eligibleViewerIds } from "../../src/jobs/matchScores/queries.ts";
import { planShards } from "../../src/jobs/matchScores/shards.ts";
import { clearFromRebuild, MATCH_TABLES } from "../../src/jobs/matchScores/write-queries.ts";

const now = new Date("2026-11-01T12:00:00Z");
/** A small cap, so that many pools are narrowed: a pool missing a candidate would show. */
const LISTS = { poolCap: 40, topK: 20 };
const SMALL_SHARDS = 50;
let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db, { users: 300, seed: 7, now, reset: true, log: () => undefined });
}, 120_000);
afterAll(async () => {
  await db.close();
});

/** Every column of both tables, row by row. */
async function tables() {
  const rows = (table: string, order: string) =>
    db.prisma.$queryRawUnsafe<unknown[]>(
      `SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${order}`,
    );
  return {
    scores: await rows("match_scores", "viewer_user_id, candidate_user_id"),
    viewers: await rows("match_score_viewers", "viewer_user_id"),
  };
}

async function fullRun(overrides: Record<string, unknown>) {
  const summary = await runJob(db, matchScoresJob, {
    asOf: now,
    options: { mode: "full" },
    overrides: { ...LISTS, ...overrides },
  });
  expect(summary.status, summary.error ?? undefined).toBe("SUCCESS");
  return { summary, tables: await tables() };
}

describe(`match-scores full runs in shards on ${testDatabaseKind()}`, () => {
  it("writes row for row the same tables with many small shards as with one", async () => {
    const one = await fullRun({ candidateSearch: "memory", shardSize: 1_000_000 });
    expect(one.summary.metadata.shards).toHaveLength(1);
    expect(one.tables.scores.length).toBeGreaterThan(1_000);
    expect(one.summary.result).toMatchObject({ mode: "full", lists: one.tables.viewers.length });

    const many = await fullRun({ candidateSearch: "memory", shardSize: SMALL_SHARDS });
    const viewers = (many.summary.result as { viewers: number }).viewers;
    expect(many.summary.metadata.shards).toHaveLength(Math.ceil(viewers / SMALL_SHARDS));
    expect(many.summary.result).toEqual(one.summary.result);
    expect(many.tables).toEqual(one.tables);

    // The query paths search no population: sharded, they agree too.
    expect((await fullRun({ candidateSearch: "exact", shardSize: SMALL_SHARDS })).tables).toEqual(
      one.tables,
    );
    if (await db.hasVector()) {
      const auto = { candidateSearch: "auto", inMemoryFromViewers: 100_000 };
      const vector = await fullRun({ ...auto, shardSize: SMALL_SHARDS });
      expect(vector.summary.metadata.candidateSearch).toBe("pgvector");
      expect(vector.tables).toEqual(one.tables);
    }
  }, 240_000);

  it("hands a dry run's shards' lists to collect, as the run writes them", async () => {
    const { tables: written } = await fullRun({ candidateSearch: "memory", shardSize: 1_000_000 });
    const collected: ScoredList[] = [];
    await computeAsOf(db, matchScoresJob, {
      asOf: now,
      overrides: { ...LISTS, candidateSearch: "memory", shardSize: SMALL_SHARDS },
      collect: (lists) => collected.push(...(lists as ScoredList[])),
    });
    const pairs = collected
      .flatMap((l) => l.candidates.map((c) => `${l.viewerId} ${c.id} ${c.score}`))
      .sort();
    const stored = written.scores
      .map(
        (r) =>
          (r as { row: { viewer_user_id: string; candidate_user_id: string; score: number } }).row,
      )
      .map((r) => `${r.viewer_user_id} ${r.candidate_user_id} ${r.score}`)
      .sort();
    expect(pairs).toEqual(stored);
    expect(new Set(collected.map((l) => l.viewerId)).size).toBe(written.viewers.length);
  }, 120_000);

  it("holds in each shard only the part of the population its viewers can reach", async () => {
    const clock = clockOf(now, matchScoresConfig.parse({}));
    const population = (await loadPopulation(db.prisma, clock)).profiles;
    const whole = population.size;
    const shards = planShards(await eligibleViewerIds(db.prisma, clock), new Set(), "memory", 50);
    expect(shards.length).toBeGreaterThan(3);
    const held: number[] = [];
    for (const shard of shards) {
      const part = (await loadReachable(db.prisma, clock, shard.viewerIds)).profiles;
      // Its viewers (those who can be placed) are in it, to be scored.
      expect(shard.viewerIds.filter((id) => population.has(id) && !part.has(id))).toEqual([]);
      held.push(part.size);
    }
    // Seekers of the same people in a few cities: under the whole population, and under half
    // of it where a shard's viewers all live in one region. (A shard with viewers who have no
    // location holds everyone of the genders they seek.)
    expect(Math.max(...held)).toBeLessThan(whole);
    expect(Math.min(...held)).toBeLessThan(whole / 2);
  }, 120_000);

  it("validates the filled copies: a torn list is refused; a shard's retry clears its viewers first", async () => {
    await fullRun({ candidateSearch: "memory" });
    const [viewer] = await db.prisma.$queryRaw<{ id: string }[]>`
      SELECT viewer_user_id AS id FROM match_score_viewers WHERE candidate_count > 1
      ORDER BY viewer_user_id LIMIT 1`;
    const id = viewer?.id as string;
    const validate = () =>
      matchScoresJob.validateRebuild?.({ db, now } as unknown as JobContext<MatchScoresConfig>);
    await startRebuild(db.prisma, MATCH_TABLES);
    try {
      for (const table of MATCH_TABLES) {
        await db.prisma.$executeRawUnsafe(`INSERT INTO ${table}_rebuild SELECT * FROM ${table}`);
      }
      await expect(validate()).resolves.toBeUndefined();
      await db.prisma.$executeRaw`
        DELETE FROM match_scores_rebuild WHERE viewer_user_id = ${id}
          AND candidate_user_id = (SELECT min(candidate_user_id) FROM match_scores_rebuild
                                   WHERE viewer_user_id = ${id})`;
      await expect(validate()).rejects.toThrow(/1 of \d+ viewers' lists .* candidate_count/);
      // What an earlier attempt of the viewer's shard wrote goes, both tables.
      const count = await db.prisma.matchScore.count({ where: { viewerUserId: id } });
      // Its count − 1 scores left in the copy, and its bookkeeping row.
      expect(await clearFromRebuild(db.prisma, [id])).toBe(count);
      await expect(validate()).resolves.toBeUndefined();
    } finally {
      await abandonRebuild(db.prisma, MATCH_TABLES);
    }
  }, 120_000);
});
