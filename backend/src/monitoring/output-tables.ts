import { eligiblePerson, Prisma } from "@feed-jobs/db";
import { clockOf, type MatchScoresConfig, matchScoresConfig } from "../jobs/matchScores/config.ts";
import { eligible as scorableByMatchScores } from "../jobs/matchScores/sql.ts";

/**
 * What monitoring knows about each job's output table: who should have a fresh row there
 * (coverage), which score to watch for drift, and the limits `health` alerts on. A limit left
 * undefined is not checked, for tables where a job legitimately writes rows for only some items
 * (compatibility needs interactions, affinity 10 of them, trending 5 engagements).
 */
export interface OutputTable {
  readonly job: string;
  readonly table: string;
  /** Who should have a fresh row, in words (shown by `stats`). */
  readonly eligibleLabel: string;
  /** The column naming the user or post a row belongs to. */
  readonly itemColumn: string;
  /**
   * The table whose rows prove an item was computed, with `itemColumn` and `computed_at`.
   * Default: `table`. (A viewer with no eligible candidate has no match_scores rows but is covered.)
   */
  readonly coverageTable?: string;
  /** The column whose distribution is watched for drift. */
  readonly scoreColumn: string;
  /** SQL selecting the eligible items as (id, fresh_since): their rows must be computed since then. */
  eligibleItems(now: Date): Prisma.Sql;
  /** Alert when the oldest row of an eligible item is older than this many hours. */
  readonly maxStalenessHours?: number;
  /** Alert when the share of eligible items with a fresh row is below this. */
  readonly minCoverage?: number;
}

const HOUR_MS = 3_600_000;
const hoursBefore = (now: Date, hours: number) => new Date(now.getTime() - hours * HOUR_MS);

/**
 * Users the job scores: eligible by the shared rule (adults, neither deactivated nor deleted),
 * or by `who` where the job narrows it; a row counts as fresh within `freshHours`.
 */
const eligibleUsers =
  (freshHours: number, who: (alias: string, now: Date) => Prisma.Sql = eligiblePerson) =>
  (now: Date) =>
    Prisma.sql`
  SELECT u.id, ${hoursBefore(now, freshHours)}::timestamp(3) AS fresh_since FROM users u
  WHERE ${who("u", now)} AND u.created_at <= ${now}::timestamp(3)`;

/** match-scores' own narrower rule (recently active, with a gender), at its default settings. */
const MATCH_DEFAULTS: MatchScoresConfig = matchScoresConfig.parse({});
const scorableViewer = (alias: string, now: Date) =>
  scorableByMatchScores(alias, clockOf(now, MATCH_DEFAULTS));

/** Posts whose author is eligible at `now`: the only posts the post jobs write rows for. */
const postsOfEligibleAuthors = (now: Date) => Prisma.sql`
  posts p JOIN users a ON a.id = p.author_id AND ${eligiblePerson("a", now)}`;

/** Daily and nightly jobs: a day and a few hours of slack for the run itself. */
const DAILY_FRESH_HOURS = 30;

export const OUTPUT_TABLES: readonly OutputTable[] = [
  {
    job: "content-features",
    table: "post_features",
    eligibleLabel:
      "non-deleted posts of eligible authors (fresh: computed since the post's last edit)",
    itemColumn: "post_id",
    scoreColumn: "quality",
    eligibleItems: (now) => Prisma.sql`
      SELECT p.id, p.updated_at AS fresh_since FROM ${postsOfEligibleAuthors(now)}
      WHERE p.deleted_at IS NULL AND p.created_at <= ${now}::timestamp(3)`,
    minCoverage: 0.95,
  },
  {
    job: "match-scores",
    table: "match_scores",
    coverageTable: "match_score_viewers",
    eligibleLabel:
      "users match-scores can score: eligible, active in 30 days, with a gender (fresh: scored as a viewer in the last 30 h)",
    itemColumn: "viewer_user_id",
    scoreColumn: "score",
    eligibleItems: eligibleUsers(DAILY_FRESH_HOURS, scorableViewer),
    maxStalenessHours: DAILY_FRESH_HOURS,
    minCoverage: 0.9,
  },
  {
    job: "compatibility",
    table: "user_compatibility",
    eligibleLabel: "eligible users (fresh: in the last 30 h)",
    itemColumn: "viewer_user_id",
    scoreColumn: "score",
    eligibleItems: eligibleUsers(DAILY_FRESH_HOURS),
    maxStalenessHours: DAILY_FRESH_HOURS,
  },
  {
    job: "trending",
    table: "trending_scores",
    eligibleLabel:
      "non-deleted posts of eligible authors of the last 48 h (fresh: in the last 30 min)",
    itemColumn: "post_id",
    scoreColumn: "popularity",
    eligibleItems: (now) => Prisma.sql`
      SELECT p.id, ${hoursBefore(now, 0.5)}::timestamp(3) AS fresh_since
      FROM ${postsOfEligibleAuthors(now)}
      WHERE p.deleted_at IS NULL AND p.created_at <= ${now}::timestamp(3)
        AND p.created_at > ${hoursBefore(now, 48)}::timestamp(3)`,
    maxStalenessHours: 1,
  },
  {
    job: "affinity",
    table: "user_affinity_profiles",
    eligibleLabel: "eligible users (fresh: in the last 30 h)",
    itemColumn: "user_id",
    scoreColumn: "exploration_factor",
    eligibleItems: eligibleUsers(DAILY_FRESH_HOURS),
    maxStalenessHours: DAILY_FRESH_HOURS,
  },
];

/** The output tables of the given jobs (those that have landed in the catalog). */
export function outputTablesOf(jobNames: Iterable<string>): OutputTable[] {
  const names = new Set(jobNames);
  return OUTPUT_TABLES.filter((table) => names.has(table.job));
}

export function outputTableOf(jobName: string): OutputTable | undefined {
  return OUTPUT_TABLES.find((table) => table.job === jobName);
}
