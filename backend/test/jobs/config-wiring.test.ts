import type { Database } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { configEntries, type JobOptions, parseOverrides } from "@feed-jobs/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../src/demo/seed.ts";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import type { AnyJob } from "../../src/jobs/catalog.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { configDefaults } from "../../src/jobs/config-keys.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { runForTest } from "../support/run.ts";

/**
 * Issue 15, item 3 (groundwork): every weight and constant of a formula is a config key. Passing
 * every default explicitly, the way `--set` does (dotted keys), gives exactly the rows of a run
 * without overrides; changing one key changes them, so each key is really wired.
 */

const now = new Date("2026-11-01T12:00:00Z");
let db: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db, { users: 250, seed: 11, now, reset: true, log: () => undefined });
}, 180_000);
afterAll(async () => {
  await db.close();
});

interface Case {
  job: AnyJob;
  options: JobOptions;
  /** The output table and its key, for comparable rows. */
  table: string;
  orderBy: string;
  /** Keys changed from their defaults one at a time (nested where the job has a group). */
  changes: Record<string, unknown>[];
}

// In dependency order: match scores feed compatibility, post features feed trending and affinity.
const cases: Case[] = [
  {
    job: contentFeaturesJob,
    options: { all: true },
    table: "post_features",
    orderBy: "post_id",
    changes: [{ maxTopics: 2 }],
  },
  {
    job: matchScoresJob,
    options: { mode: "full" },
    table: "match_scores",
    orderBy: "viewer_user_id, candidate_user_id",
    changes: [
      { demographic: { goalCompatibility: { unsure: 0 } } },
      { demographic: { goalCompatibility: { casualShortTerm: 0 } } },
      { demographic: { goalCompatibility: { longTermShortTerm: 1 } } },
      { demographic: { ageFitFloor: 0 } },
      { demographic: { goalShare: 0.9 } },
      { demographic: { ageOnlyConfidence: 0 } },
      { reasonMinValue: 0.9 },
      { quizWeight: 0 },
    ],
  },
  {
    job: compatibilityJob,
    options: { mode: "full" },
    table: "user_compatibility",
    orderBy: "viewer_user_id, target_user_id",
    changes: [
      { communicationParts: { balance: 0.1, responsiveness: 0.3, recency: 0.6 } },
      { replyConsistencyShare: 1 },
      { seenAsImpressions: 10 },
      { weights: { trajectory: 0 } },
    ],
  },
  {
    job: trendingJob,
    options: {},
    table: "trending_scores",
    orderBy: "post_id",
    changes: [{ fadeShortestShare: 0.25 }, { halfLifeHours: 6 }],
  },
  {
    job: affinityJob,
    options: { mode: "full" },
    table: "user_affinity_profiles",
    orderBy: "user_id",
    changes: [{ recencyDecayFactor: 0.9 }, { likeWeight: 0 }],
  },
];

/** The job's output rows, without the time they were written. */
async function outputRows(c: Case): Promise<Record<string, unknown>[]> {
  const rows = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT * FROM ${c.table} ORDER BY ${c.orderBy}`,
  );
  return rows.map(({ computed_at: _, ...row }) => row);
}

async function run(c: Case, overrides: Record<string, unknown>) {
  const summary = await runForTest(db, c.job, now, c.options, overrides);
  return { summary, rows: await outputRows(c) };
}

/** Every default as the `--set key=value` pairs a user would type, nested keys dotted. */
function everyDefaultAsSet(job: AnyJob): string[] {
  return configEntries(configDefaults(job)).map(
    ([key, value]) => `${key}=${JSON.stringify(value)}`,
  );
}

describe(`config keys are wired (${testDatabaseKind()})`, () => {
  it.each(cases.map((c) => [c.job.name, c] as const))(
    "%s: every default passed explicitly gives the same rows; each changed key changes them",
    async (_name, c) => {
      const plain = await run(c, {});
      expect(plain.rows.length).toBeGreaterThan(0);

      const explicit = parseOverrides(everyDefaultAsSet(c.job));
      const same = await run(c, explicit);
      expect(same.rows).toEqual(plain.rows);
      // The run records the overrides as the user gave them: nested groups stay nested.
      expect(same.summary.metadata.overrides).toEqual(explicit);
      expect(same.summary.metadata.config).toEqual(plain.summary.metadata.config);

      for (const change of c.changes) {
        const changed = await run(c, change);
        expect(changed.rows, JSON.stringify(change)).not.toEqual(plain.rows);
        expect(changed.summary.metadata.overrides).toEqual(change);
      }

      // Back to the defaults, for the jobs that read this one's output.
      expect((await run(c, {})).rows).toEqual(plain.rows);
    },
    180_000,
  );
});
