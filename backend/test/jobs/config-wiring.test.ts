import { type Database, eligiblePerson } from "@feed-jobs/db";
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
  await addContentFixtures();
}, 180_000);

/**
 * Posts that exercise the content-features keys the demo's captions never reach: each post
 * type with a caption and media, part capitals, links, repeated characters, a pasted phrase,
 * explicit and profane words, and reports.
 */
async function addContentFixtures(): Promise<void> {
  const [author, reporter] = await db.prisma.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM users u WHERE ${eligiblePerson("u", now)} ORDER BY u.id LIMIT 2`;
  if (!author || !reporter) throw new Error("the demo has no two eligible users");
  const at = new Date(now.getTime() - 3_600_000);
  const posts: [string, string, string][] = [
    ["cfx-photo", "PHOTO", "GREAT DAY at the BEACH WITH FRIENDS today"],
    [
      "cfx-video",
      "VIDEO",
      "soooo cooool!!!! yesssss wowwww hmmmm, see https://a.example https://b.example https://c.example",
    ],
    ["cfx-text", "TEXT", `${Array(20).fill("we went to the lake again").join(" ")} yaaaay!!!!`],
    ["cfx-poll", "POLL", "damn this shit, is it porn or art?"],
  ];
  for (const [id, type, caption] of posts) {
    await db.prisma.$executeRaw`
      INSERT INTO posts (id, author_id, type, caption, media_count, tags, created_at, updated_at)
      VALUES (${id}, ${author.id}, ${type}::"PostType", ${caption}, 2, '{}', ${at}, ${at})`;
  }
  for (let i = 0; i < 2; i += 1) {
    await db.prisma.$executeRaw`
      INSERT INTO engagement_events (actor_id, type, post_id, target_user_id, occurred_at)
      VALUES (${reporter.id}, 'REPORT', 'cfx-poll', ${author.id}, ${at})`;
  }
}
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
    changes: [
      { maxTopics: 2 },
      ...["PHOTO", "VIDEO", "TEXT", "POLL"].flatMap((type) => [
        { quality: { typeWeights: { [type]: { text: 0.1 } } } },
        { quality: { typeWeights: { [type]: { media: 0.1 } } } },
      ]),
      { quality: { textScaleWords: 3 } },
      { quality: { mediaGain: 0.9 } },
      { quality: { reportDecay: 1 } },
      { quality: { shouting: { fromCapsShare: 0.2 } } },
      { quality: { shouting: { rampWidth: 0.1 } } },
      { quality: { shouting: { floor: 0 } } },
      { quality: { linkKeep: 0.1 } },
      { quality: { repeatRuns: { cost: 0.3 } } },
      { quality: { repeatRuns: { floor: 0 } } },
      { quality: { repetitionAllowance: 0.6 } },
      { nsfwWeights: { explicitTerm: 0.1 } },
      { nsfwWeights: { profaneTerm: 0.9 } },
      { nsfwWeights: { reportKeep: 0.1 } },
    ],
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

describe(`content-features: a changed setting reaches every post on the next hourly run (${testDatabaseKind()})`, () => {
  const c = cases[0] as Case;
  const hourly = (overrides: Record<string, unknown>) =>
    runForTest(db, contentFeaturesJob, now, {}, overrides);
  const computed = (summary: { result: unknown }) =>
    (summary.result as { computed: number }).computed;

  it("rescores nothing at the defaults, everything once after a change, and again when it is undone", async () => {
    const plain = await run(c, {});
    // At the defaults the input hash is the content hash alone: rows written before the
    // settings joined the hash stay valid, so upgrading rescores nothing.
    expect(plain.rows.every((row) => !String(row.input_hash).includes(":"))).toBe(true);
    expect(computed(await hourly({}))).toBe(0);

    const change = { quality: { linkKeep: 0.1 } };
    const changed = await hourly(change);
    expect(computed(changed)).toBe(plain.rows.length);
    const rows = await outputRows(c);
    expect(rows).not.toEqual(plain.rows);
    const quality = (all: Record<string, unknown>[]) =>
      all.find((row) => row.post_id === "cfx-video")?.quality as number;
    expect(quality(rows)).toBeLessThan(quality(plain.rows));
    expect(computed(await hourly(change))).toBe(0);

    expect(computed(await hourly({}))).toBe(plain.rows.length);
    expect(await outputRows(c)).toEqual(plain.rows);
  }, 180_000);
});
