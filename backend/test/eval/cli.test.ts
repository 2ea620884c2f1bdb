import { openDatabase } from "@feed-jobs/db";
import type { TestDatabase } from "@feed-jobs/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluators } from "../../src/eval/registry.ts";
import { tuners } from "../../src/tune/registry.ts";
import { cli, useCliDatabase } from "../support/cli.ts";

/**
 * `eval` and `tune` end to end on a seeded demo population (whose latent tastes drive its
 * outcomes): tables for every job, nothing written but the settings `--write` asks for, and
 * exit 2 for a history too short or a bad argument.
 */
const NOW = "2026-11-30T12:00:00Z";
let server: TestDatabase | undefined;

/** Row counts of every output table and of the run log: what a backtest must not change. */
async function outputCounts() {
  const db = await openDatabase();
  try {
    const [row] = await db.prisma.$queryRaw<Record<string, bigint>[]>`
      SELECT (SELECT count(*) FROM match_scores) AS match_scores,
             (SELECT count(*) FROM match_score_viewers) AS match_score_viewers,
             (SELECT count(*) FROM user_compatibility) AS user_compatibility,
             (SELECT count(*) FROM post_features) AS post_features,
             (SELECT count(*) FROM trending_scores) AS trending_scores,
             (SELECT count(*) FROM user_affinity_profiles) AS user_affinity_profiles,
             (SELECT count(*) FROM job_runs) AS job_runs,
             (SELECT count(*) FROM job_settings) AS job_settings`;
    return row;
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  server = await useCliDatabase("eval-cli");
  const seeded = await cli("db", "seed", "--users", "300", "--now", NOW);
  expect(seeded.code, seeded.err).toBe(0);
  // content-features' topics are inputs of affinity and of content-features' own backtest.
  expect((await cli("content-features")).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

describe("pnpm job eval", () => {
  it("prints every version of every job beside its baselines, and writes nothing", async () => {
    const before = await outputCounts();
    const result = await cli("eval", "all", "--json");
    expect(result.code, result.err).toBe(0);
    const reports = JSON.parse(result.out) as {
      job: string;
      versions: string[];
      points: unknown[];
      measurements: { method: string; metric: string; value: number | null }[];
    }[];
    expect(reports.map((r) => r.job)).toEqual(evaluators.map((e) => e.job));
    for (const report of reports) {
      expect(report.points).toHaveLength(3);
      expect(report.versions.length, report.job).toBeGreaterThanOrEqual(2);
      const methods = new Set(report.measurements.map((m) => m.method));
      for (const version of report.versions) expect(methods, report.job).toContain(version);
      expect(
        [...methods].some((m) => m.startsWith("baseline: ")),
        report.job,
      ).toBe(true);
      const measured = report.measurements.filter((m) => m.value !== null);
      expect(measured.length, report.job).toBeGreaterThan(0);
    }
    expect(await outputCounts()).toEqual(before);
  });

  it("prints a table per job with the versions asked for", async () => {
    const result = await cli("eval", "trending", "--algorithm", "trending-v2", "--every", "12h");
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^trending: .*3 points, outcomes over the next 24 h/);
    expect(result.out).toContain("trending-v2");
    expect(result.out).not.toContain("trending-v1 ");
    expect(result.out).toContain("baseline: ");
  });

  it("refuses a history too short, an unknown job or version, with exit code 2", async () => {
    const early = await cli("eval", "trending", "--from", "2020-01-01", "--to", "2020-01-02");
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/history too short.*activity spans/);
    const late = await cli("eval", "compatibility", "--to", NOW);
    expect(late.code).toBe(2);
    expect(late.err).toMatch(/168 h of outcomes/);
    expect((await cli("eval", "nope")).err).toMatch(/unknown job "nope"/);
    expect((await cli("eval", "cleanup")).err).toMatch(/cleanup has no backtest/);
    const version = await cli("eval", "trending", "--algorithm", "trending-v9");
    expect(version.code).toBe(2);
    expect(version.err).toMatch(/trending has versions trending-v1, trending-v2/);
    expect((await cli("eval", "trending", "--every", "soon")).code).toBe(2);
  });
});

describe("pnpm job tune", () => {
  it("prints before and after and changes nothing without --write", async () => {
    const before = await outputCounts();
    const result = await cli("tune", "trending");
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/held-out metric before and after tuning/);
    expect(result.out).toMatch(/Settings to adopt:/);
    expect(result.out).toMatch(/Nothing was changed; add --write/);
    expect(await outputCounts()).toEqual(before);
  });

  it("--write stores the fitted settings as the next settings version, which runs read", async () => {
    const result = await cli("tune", "trending", "--algorithm", "trending-v2", "--write");
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/Stored as trending settings version 1/);
    const shown = await cli("settings", "trending", "--json");
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain('"algorithm": "trending-v2"');
    const run = await cli("trending", "--json", "--as-of", NOW);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('"settingsVersion": 1');
    const db = await openDatabase();
    try {
      const [last] = await db.prisma.jobRun.findMany({
        where: { jobName: "trending" },
        orderBy: { startedAt: "desc" },
        take: 1,
      });
      expect(last?.algorithmVersion).toBe("trending-v2");
    } finally {
      await db.close();
    }
  });

  it("knows which jobs it can tune", async () => {
    expect(tuners.map((t) => t.job).sort()).toEqual(["affinity", "match-scores", "trending"]);
    const refused = await cli("tune", "compatibility");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/compatibility cannot be tuned/);
  });
});
