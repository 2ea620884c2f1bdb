import type { Database } from "@feed-jobs/db";
import { computeAsOf } from "@feed-jobs/jobs";
import { spearman } from "@feed-jobs/scoring/metrics";
import type { CollectedFeatures } from "../jobs/contentFeatures/batch.ts";
import { contentFeaturesJob } from "../jobs/contentFeatures/job.ts";
import { engagementsAround, type WindowPost, windowPosts } from "./content-features/queries.ts";
import { RECALL_AT, topicRecalls } from "./content-features/topic-recall.ts";
import { mean } from "./measurements.ts";
import type { EvalRequest, Evaluator, Measurement } from "./types.ts";

/**
 * content-features' backtest: do a version's features help ranking what people engage with?
 * At each point T:
 * - quality: Spearman, over the posts created in the 7 days before T, of their quality as of
 *   T against their likes, comments and shares by others in the next 7 days; the mean over
 *   the points with a Student-t interval. Reference (not a competitor: quality is about the
 *   post, not the author): the author's past engagement per post.
 * - topics: for each user who engages with posts after T and did in the 4 weeks before,
 *   recall@10 of the topics (this version's) of the posts they engage with after T, ranked by
 *   a decayed count (half-life 7 d) of the topics of the posts they engaged with before it —
 *   whether this version's topics are the ones that carry a user's interest forward.
 * - topics per post, to read recall with: fewer topics per post make recall easier.
 */

const JOB = "content-features";
const HORIZON_HOURS = 7 * 24;
/** A user's recent interests and an author's recent record. */
const HISTORY_DAYS = 28;
/** Posts this young at T are the ones whose engagement is still to come. */
const NEW_POST_DAYS = 7;
const INTEREST_HALF_LIFE_DAYS = 7;
const SPEARMAN = "Spearman (engagement in 7 d)";

type Log = (message: string) => void;

/** The job's rows as of `asOf`, each handed to `keep` (nothing is written). */
async function computeFeatures(
  db: Database,
  asOf: Date,
  overrides: Record<string, unknown>,
  log: Log,
  keep: (row: CollectedFeatures) => void,
): Promise<string> {
  const { version } = await computeAsOf(db, contentFeaturesJob, {
    asOf,
    overrides,
    log,
    collect: (rows) => {
      for (const row of rows as readonly CollectedFeatures[]) keep(row);
    },
  });
  return version;
}

/**
 * Every post's topics by the version. Topics depend on the post's content alone (not on the
 * clock, unlike quality, which reports lower), so one run as of the last point's horizon gives
 * the topics of the posts engaged with at every point.
 */
async function topicsOfAllPosts(db: Database, request: EvalRequest) {
  const last = Math.max(...request.points.map((p) => p.until.getTime()));
  const topics = new Map<string, readonly string[]>();
  const version = await computeFeatures(db, new Date(last), request.overrides, request.log, (row) =>
    topics.set(row.postId, row.topics),
  );
  return { version, topics };
}

/** The Spearman of each point, pooled as their mean (a point without an order has none). */
const spearmanMeasurement = (method: string, perPoint: readonly number[]): Measurement =>
  mean(method, SPEARMAN, perPoint, "points", [-1, 1]);

/** One point's Spearman of `scoreOf` against the next week's engagement; null leaves a post out. */
function pointSpearman(posts: readonly WindowPost[], scoreOf: (post: WindowPost) => number | null) {
  const scored = posts.filter((post) => scoreOf(post) !== null);
  return spearman(
    scored.map((post) => scoreOf(post) as number),
    scored.map((post) => post.engagement),
  );
}

export const contentFeaturesEvaluator: Evaluator = {
  job: JOB,
  horizonHours: HORIZON_HOURS,
  historyDays: HISTORY_DAYS,

  async evaluate(db, request) {
    const { overrides, points, log } = request;
    const { version, topics } = await topicsOfAllPosts(db, request);
    const spearmans: number[] = [];
    const recalls: number[] = [];
    for (const point of points) {
      const posts = await windowPosts(db, point, NEW_POST_DAYS, HISTORY_DAYS);
      const young = new Set(posts.map((post) => post.post_id));
      const quality = new Map<string, number>();
      await computeFeatures(db, point.asOf, overrides, log, (row) => {
        if (young.has(row.postId)) quality.set(row.postId, row.quality);
      });
      const rho = pointSpearman(posts, (post) => quality.get(post.post_id) ?? null);
      if (rho !== null) spearmans.push(rho);
      const { before, after } = await engagementsAround(
        db,
        point,
        HISTORY_DAYS,
        INTEREST_HALF_LIFE_DAYS,
      );
      const users = topicRecalls(before, after, (postId) => topics.get(postId));
      recalls.push(...users);
      log(
        `${version} as of ${point.asOf.toISOString()}: ${quality.size} new posts, Spearman ${rho?.toFixed(3) ?? "-"}; ${users.length} users' topic recall`,
      );
    }
    const perPost = [...topics.values()].map((t) => t.length);
    return [
      spearmanMeasurement(version, spearmans),
      mean(version, `recall@${RECALL_AT} topics`, recalls, "users × points", [0, 1]),
      mean(version, "topics per post", perPost, "posts"),
    ];
  },

  async baselines(db, { points, log }) {
    const spearmans: number[] = [];
    for (const point of points) {
      const posts = await windowPosts(db, point, NEW_POST_DAYS, HISTORY_DAYS);
      const rho = pointSpearman(posts, (post) => post.author_rate);
      if (rho !== null) spearmans.push(rho);
      log(`author's record as of ${point.asOf.toISOString()}: Spearman ${rho?.toFixed(3) ?? "-"}`);
    }
    return [spearmanMeasurement("baseline: author's past engagement per post", spearmans)];
  },
};
