import { type Database, type Gender, ineligibleReason, Prisma } from "@feed-jobs/db";
import { createTestDatabase, testDatabaseKind } from "@feed-jobs/db/testing";
import { type FeedPage, rankFeed } from "@feed-jobs/feed";
import { type JobDefinition, type JobOptions, runJob } from "@feed-jobs/jobs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affinityJob } from "../../src/jobs/affinity/job.ts";
import { compatibilityJob } from "../../src/jobs/compatibility/job.ts";
import { contentFeaturesJob } from "../../src/jobs/contentFeatures/job.ts";
import { matchScoresJob } from "../../src/jobs/matchScores/job.ts";
import { trendingJob } from "../../src/jobs/trending/job.ts";
import { viewerStateJob } from "../../src/jobs/viewerState/job.ts";
import { fixtures } from "../support/fixtures.ts";
import { runForTest } from "../support/run.ts";

/**
 * Issue 14, item 1: no output table and no feed page ever holds a person who is not eligible
 * (a minor, no birth date, deactivated or deleted), whatever the population. Each random
 * population is scored twice: 36 hours before the clock, then at the clock, when some people
 * have come of age and others have been deactivated or deleted since the first runs.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
type Reason = "deleted" | "deactivated" | "noBirthDate" | "minor";

/** Clocks at the calendar's edges: either side of a 29 February birthday, a leap day, a plain day. */
const CLOCKS = [
  "2026-02-28T12:00:00Z",
  "2026-03-01T00:30:00Z",
  "2028-02-29T23:00:00Z",
  "2027-07-15T06:00:00Z",
].map((t) => new Date(t));

/**
 * The oracle, written apart from the SQL rule: the latest birth date (UTC midnight) of an adult
 * at `now` is the clock's UTC date 18 years earlier, 29 February becoming 28 in a common year.
 */
function adultBornBy(now: Date): number {
  const year = now.getUTCFullYear() - 18;
  const month = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay));
}

const birthKind = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }).map((days) => ({ nearBoundary: days })) },
  { weight: 1, arbitrary: fc.constant("leapDay" as const) },
  { weight: 3, arbitrary: fc.integer({ min: 19, max: 60 }).map((years) => ({ years })) },
  { weight: 1, arbitrary: fc.integer({ min: 13, max: 17 }).map((years) => ({ years })) },
  { weight: 1, arbitrary: fc.constant(null) },
);
/** When a deactivation or deletion happens, relative to the second clock. */
const statusTime = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(-10 * DAY_MS, -12 * HOUR_MS, 12 * HOUR_MS) },
);
const person = fc.record({
  birth: birthKind,
  deactivated: statusTime,
  deleted: statusTime,
  gender: fc.constantFrom<Gender>("WOMAN", "MAN"),
  seeksBoth: fc.boolean(),
});
const index = fc.nat({ max: 10_000 });
const share = fc.double({ min: 0.01, max: 1, noNaN: true });
const population = fc.record({
  clock: fc.constantFrom(...CLOCKS),
  people: fc.array(person, { minLength: 30, maxLength: 60 }),
  posts: fc.array(fc.record({ author: index, hoursAgo: fc.integer({ min: 1, max: 70 }) }), {
    minLength: 20,
    maxLength: 60,
  }),
  events: fc.array(
    fc.record({
      actor: index,
      post: index,
      type: fc.constantFrom("LIKE", "COMMENT", "SHARE", "IMPRESSION", "SEEN", "PROFILE_VIEW"),
      at: share,
    }),
    { minLength: 200, maxLength: 450 },
  ),
  messages: fc.array(
    fc.record({ from: index, to: index, hoursAgo: fc.integer({ min: 1, max: 70 }) }),
    {
      maxLength: 60,
    },
  ),
  blocks: fc.array(
    fc.record({ from: index, to: index, type: fc.constantFrom("BLOCK", "REPORT") }),
    {
      maxLength: 5,
    },
  ),
});
type Population = typeof population extends fc.Arbitrary<infer P> ? P : never;
type Person = Population["people"][number];

function birthDateOf(p: Person, clock: Date): Date | null {
  const b = p.birth;
  if (b === null) return null;
  if (b === "leapDay") {
    // 29 February of the last leap year at or before the year of an 18-year-old's birth.
    let year = clock.getUTCFullYear() - 18;
    while (new Date(Date.UTC(year, 1, 29)).getUTCMonth() !== 1) year -= 1;
    return new Date(Date.UTC(year, 1, 29));
  }
  if ("nearBoundary" in b) return new Date(adultBornBy(clock) + b.nearBoundary * DAY_MS);
  return new Date(Date.UTC(clock.getUTCFullYear() - b.years, 5, 15));
}

const userId = (i: number) => `u${String(i).padStart(3, "0")}`;
const at = (clock: Date, offsetMs: number | null) =>
  offsetMs === null ? null : new Date(clock.getTime() + offsetMs);

/** The oracle's reason, in the rule's order: deleted, deactivated, no birth date, minor. */
function expectedReason(p: Person, clock: Date, now: Date): Reason | null {
  const deleted = at(clock, p.deleted);
  const deactivated = at(clock, p.deactivated);
  const birth = birthDateOf(p, clock);
  if (deleted && deleted <= now) return "deleted";
  if (deactivated && deactivated <= now) return "deactivated";
  if (birth === null) return "noBirthDate";
  return birth.getTime() > adultBornBy(now) ? "minor" : null;
}

async function insertPopulation(db: Database, pop: Population) {
  const { clock, people } = pop;
  const n = people.length;
  const p = db.prisma;
  await p.user.createMany({
    data: people.map((person, i) => ({
      id: userId(i),
      displayName: userId(i),
      birthDate: birthDateOf(person, clock),
      gender: person.gender,
      gendersSought: person.seeksBoth
        ? ["WOMAN", "MAN"]
        : [person.gender === "MAN" ? "WOMAN" : "MAN"],
      relationshipGoal: "LONG_TERM",
      latitude: 37.7749 + (i % 7) * 0.01,
      longitude: -122.4194,
      lastActiveAt: new Date(clock.getTime() - 40 * HOUR_MS),
      createdAt: new Date(clock.getTime() - 400 * DAY_MS),
      profileUpdatedAt: new Date(clock.getTime() - 60 * DAY_MS),
      deactivatedAt: at(clock, person.deactivated),
      deletedAt: at(clock, person.deleted),
    })),
  });
  const posts = pop.posts.map((post, i) => ({
    id: `p${String(i).padStart(3, "0")}`,
    authorId: userId(post.author % n),
    createdAt: new Date(clock.getTime() - post.hoursAgo * HOUR_MS),
  }));
  await p.post.createMany({
    data: posts.map((post, i) => ({
      ...post,
      type: (["TEXT", "PHOTO", "VIDEO", "POLL"] as const)[i % 4] ?? "TEXT",
      caption: `A long walk on the beach and a good book, day ${i} of the summer`,
      mediaCount: i % 3,
      tags: [["hiking", "books"], ["coffee"], ["music", "hiking"]][i % 3] as string[],
      updatedAt: post.createdAt,
    })),
  });
  await p.engagementEvent.createMany({
    data: pop.events.map((e) => {
      const post = posts[e.post % posts.length] as (typeof posts)[number];
      const occurredAt = new Date(
        post.createdAt.getTime() + e.at * (clock.getTime() - post.createdAt.getTime()),
      );
      const actorId = userId(e.actor % n);
      return e.type === "PROFILE_VIEW"
        ? { actorId, type: e.type, targetUserId: post.authorId, occurredAt }
        : { actorId, type: e.type, postId: post.id, targetUserId: post.authorId, occurredAt };
    }),
  });
  await p.message.createMany({
    data: pop.messages
      .filter((m) => m.from % n !== m.to % n)
      .map((m, i) => ({
        id: `m${i}`,
        senderId: userId(m.from % n),
        recipientId: userId(m.to % n),
        sentAt: new Date(clock.getTime() - m.hoursAgo * HOUR_MS),
      })),
  });
  await p.engagementEvent.createMany({
    data: pop.blocks
      .filter((b) => b.from % n !== b.to % n)
      .map((b) => ({
        actorId: userId(b.from % n),
        type: b.type,
        targetUserId: userId(b.to % n),
        occurredAt: new Date(clock.getTime() - 100 * DAY_MS),
      })),
  });
}

/** Rows and pages checked over all populations: the property must not hold vacuously. */
const checked = {
  outputRows: new Map<string, number>(),
  feedItems: 0,
  suggestions: 0,
  ineligibleViewers: 0,
};

/** Match-scores searches the population in memory, or by query (pgvector where available). */
type Search = "memory" | "auto";

async function runEveryJob(db: Database, now: Date, candidateSearch: Search) {
  await runForTest(db, contentFeaturesJob, now);
  await runForTest(db, matchScoresJob, now, { mode: "full" }, { candidateSearch });
  await runForTest(db, compatibilityJob, now, { mode: "full" });
  await runForTest(db, trendingJob, now, {}, { minEngagements: 2 });
  await runForTest(db, affinityJob, now, { mode: "full" }, { minInteractions: 3 });
  return runForTest(db, viewerStateJob, now, { mode: "full" });
}

/** Every person an output table names (by role), with the row's table. */
async function peopleInOutputs(db: Database) {
  const rows = await db.prisma.$queryRaw<{ table: string; person: string }[]>`
    SELECT 'match_scores' AS table, viewer_user_id AS person FROM match_scores
    UNION ALL SELECT 'match_scores', candidate_user_id FROM match_scores
    UNION ALL SELECT 'match_score_viewers', viewer_user_id FROM match_score_viewers
    UNION ALL SELECT 'user_compatibility', viewer_user_id FROM user_compatibility
    UNION ALL SELECT 'user_compatibility', target_user_id FROM user_compatibility
    UNION ALL SELECT 'post_features', p.author_id FROM post_features f JOIN posts p ON p.id = f.post_id
    UNION ALL SELECT 'trending_scores', p.author_id FROM trending_scores t JOIN posts p ON p.id = t.post_id
    UNION ALL SELECT 'user_affinity_profiles', user_id FROM user_affinity_profiles
    UNION ALL SELECT 'user_affinity_profiles', c->>'userId'
      FROM user_affinity_profiles, jsonb_array_elements(top_creators) c
    UNION ALL SELECT 'viewer_feed_state', viewer_user_id FROM viewer_feed_state`;
  return rows;
}

async function checkAt(db: Database, pop: Population, now: Date, search: Search) {
  const expected = new Map(
    pop.people.map((p, i) => [userId(i), expectedReason(p, pop.clock, now)]),
  );
  const reasonOf = (person: string) => (expected.has(person) ? expected.get(person) : "unknown");
  // The SQL rule agrees with the oracle on every person.
  const judged = await db.prisma.$queryRaw<{ id: string; reason: Reason | null }[]>(
    Prisma.sql`SELECT u.id, ${ineligibleReason("u", now)} AS reason FROM users u ORDER BY u.id`,
  );
  expect(Object.fromEntries(judged.map((r) => [r.id, r.reason]))).toEqual(
    Object.fromEntries(expected),
  );

  const viewerState = await runEveryJob(db, now, search);
  const counts: Partial<Record<Reason, number>> = {};
  for (const reason of expected.values()) if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
  expect((viewerState.metadata as { excluded?: unknown }).excluded ?? {}).toEqual(counts);

  for (const row of await peopleInOutputs(db)) {
    expect({ ...row, ineligible: reasonOf(row.person) }).toEqual({
      ...row,
      ineligible: null,
    });
    checked.outputRows.set(row.table, (checked.outputRows.get(row.table) ?? 0) + 1);
  }
  for (const [viewer, reason] of expected) {
    const page: FeedPage = await rankFeed(db, viewer, { now, limit: 100, suggestions: 50 });
    if (reason !== null) {
      expect({
        viewer,
        reason: page.viewerIneligible,
        items: page.items,
        suggestions: page.suggestions,
      }).toEqual({ viewer, reason, items: [], suggestions: [] });
      checked.ineligibleViewers += 1;
      continue;
    }
    const shown = [
      ...page.items.map((item) => item.authorId),
      ...page.suggestions.map((s) => s.userId),
    ];
    for (const person of shown)
      expect({ viewer, person, ineligible: reasonOf(person) }).toEqual({
        viewer,
        person,
        ineligible: null,
      });
    checked.feedItems += page.items.length;
    checked.suggestions += page.suggestions.length;
  }
}

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe(`eligibility in every job and the feed, on random populations (${testDatabaseKind()})`, () => {
  it("no output row and no feed page holds an ineligible person; ineligible viewers get nothing", async () => {
    await fc.assert(
      fc.asyncProperty(population, async (pop) => {
        await db.prisma.$executeRawUnsafe("TRUNCATE users CASCADE");
        await insertPopulation(db, pop);
        await checkAt(db, pop, new Date(pop.clock.getTime() - 36 * HOUR_MS), "memory");
        await checkAt(db, pop, pop.clock, "auto");
      }),
      // A run takes seconds: a failure is reported as found (population and seed), not shrunk.
      { numRuns: 6, endOnFailure: true },
    );
    // Not vacuous: every table held rows, pages held posts and suggestions, some viewers were refused.
    for (const table of [
      "match_scores",
      "user_compatibility",
      "post_features",
      "trending_scores",
      "user_affinity_profiles",
      "viewer_feed_state",
    ]) {
      expect(checked.outputRows.get(table) ?? 0, table).toBeGreaterThan(0);
    }
    expect(checked.feedItems).toBeGreaterThan(0);
    expect(checked.suggestions).toBeGreaterThan(0);
    expect(checked.ineligibleViewers).toBeGreaterThan(0);
  }, 600_000);

  it("skips an ineligible --user-id or --post-id, saying why, counts it and removes its rows", async () => {
    const now = CLOCKS[0] as Date;
    await db.prisma.$executeRawUnsafe("TRUNCATE users CASCADE");
    const f = fixtures(db, now);
    await f.user({ id: "adult", gender: "MAN", gendersSought: ["WOMAN"] });
    await f.user({ id: "minor", age: 17 });
    await f.post({
      id: "minor-post",
      authorId: "minor",
      createdAt: new Date(now.getTime() - HOUR_MS),
    });
    // Rows written before the rule held everywhere: each run must remove the minor's.
    const p = db.prisma;
    await p.viewerFeedState.create({
      data: {
        viewerUserId: "minor",
        excludedCreatorIds: [],
        hiddenPostIds: [],
        seenPostIds: [],
        computedAt: now,
        algorithmVersion: "old",
      },
    });
    const pair = { score: 0.5, factors: {}, algorithmVersion: "old" };
    await p.userCompatibility.createMany({
      data: [
        { viewerUserId: "minor", targetUserId: "adult", ...pair },
        { viewerUserId: "adult", targetUserId: "minor", ...pair },
      ],
    });
    await p.userAffinityProfile.create({
      data: {
        userId: "minor",
        topCreators: [],
        topTopics: [],
        contentTypePrefs: {},
        algorithmVersion: "old",
      },
    });
    await p.postFeatures.create({
      data: { postId: "minor-post", topics: [], inputHash: "h", algorithmVersion: "old" },
    });

    const skipsMinor = async <C extends Record<string, unknown>>(
      job: JobDefinition<C>,
      options: JobOptions,
    ) => {
      const lines: string[] = [];
      const progress = {
        start: () => ({ update() {}, finish() {}, log: (line: string) => void lines.push(line) }),
      };
      const run = await runJob(db, job, { asOf: now, options, progress });
      expect({
        job: job.name,
        status: run.status,
        failed: run.itemsFailed,
        excluded: (run.metadata as { excluded?: unknown }).excluded,
      }).toEqual({ job: job.name, status: "SUCCESS", failed: 0, excluded: { minor: 1 } });
      expect(lines.join("\n"), job.name).toMatch(/not eligible \(minor\): skipped/);
    };
    await skipsMinor(compatibilityJob, { userId: "minor" });
    await skipsMinor(affinityJob, { userId: "minor" });
    await skipsMinor(viewerStateJob, { userId: "minor" });
    await skipsMinor(matchScoresJob, { userId: "minor" });
    await skipsMinor(contentFeaturesJob, { postId: "minor-post" });
    expect(await peopleInOutputs(db)).toEqual([]);
  });
});
