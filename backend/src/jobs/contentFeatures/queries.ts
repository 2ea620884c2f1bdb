import { type IneligibleReason, ineligibleReason, Prisma, rebuildCopyOf } from "@feed-jobs/db";
import type { ContentFeatures } from "@feed-jobs/scoring/content";
import { ineligibleUserIds } from "../eligibility.ts";
import { type IdRange, inRange, type RangedTable } from "../shards.ts";

/** The output table. */
export const FEATURES = "post_features";

/** The output table as full runs rebuild it: shards by post. */
export const FEATURES_BY_POST: RangedTable = { table: FEATURES, key: "post_id" };

/** The client or an interactive transaction: repository functions work with either. */
type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** The posts a run scores, and the posts it leaves out for their author. */
export interface PostSelection {
  readonly ids: string[];
  /** Posts left out because their author is not eligible, by the author's reason. */
  readonly ineligibleAuthors: Partial<Record<IneligibleReason, number>>;
}

/**
 * Posts to (re)compute, ordered by id: live posts created by `now` that have no features row,
 * or one of another algorithm version, or whose updated_at or report count (as of `now`)
 * differs from what the row was computed from, or whose input hash carries another settings
 * tag (the part after ":"; none at the defaults) than the run's. With `all`, every live post. Only posts whose
 * author is eligible (the shared rule): the others are counted by reason, and become
 * never-scored posts that a later run picks up once their author is eligible. Ids only: the
 * posts themselves are read batch by batch. `range`: only the posts of a shard.
 */
export async function selectPostsToScore(
  db: Sql,
  q: { now: Date; algorithmVersion: string; settingsTag: string; all: boolean; range?: IdRange },
): Promise<PostSelection> {
  const range = q.range ?? { afterId: null, throughId: null };
  const rows = await db.$queryRaw<
    { id: string | null; reason: IneligibleReason | null; n: number }[]
  >`
    WITH reports AS (
      SELECT e.post_id, count(*)::int AS n
      FROM engagement_events e
      WHERE e.type = 'REPORT' AND e.occurred_at <= ${q.now} AND e.post_id IS NOT NULL
      GROUP BY e.post_id
    ),
    selected AS (
      SELECT p.id, ${ineligibleReason("a", q.now)} AS reason
      FROM posts p
      JOIN users a ON a.id = p.author_id
      LEFT JOIN post_features f ON f.post_id = p.id
      LEFT JOIN reports r ON r.post_id = p.id
      WHERE p.created_at <= ${q.now} AND ${inRange("p.id", range)}
        AND (p.deleted_at IS NULL OR p.deleted_at > ${q.now})
        AND (${q.all}
          OR f.post_id IS NULL
          OR f.algorithm_version <> ${q.algorithmVersion}
          OR f.post_updated_at IS DISTINCT FROM p.updated_at
          OR f.report_count <> coalesce(r.n, 0)
          OR split_part(f.input_hash, ':', 2) <> ${q.settingsTag})
    )
    SELECT id, NULL AS reason, 1 AS n FROM selected WHERE reason IS NULL
    UNION ALL
    SELECT NULL, reason, count(*)::int FROM selected WHERE reason IS NOT NULL GROUP BY reason
    ORDER BY id`;
  const ids: string[] = [];
  const ineligibleAuthors: PostSelection["ineligibleAuthors"] = {};
  for (const row of rows) {
    if (row.id !== null) ids.push(row.id);
    else if (row.reason !== null) ineligibleAuthors[row.reason] = row.n;
  }
  return { ids, ineligibleAuthors };
}

/** Why the author of post `postId` is not eligible at `now`; null when eligible or no such post. */
export async function authorIneligibleReason(
  db: Sql,
  postId: string,
  now: Date,
): Promise<IneligibleReason | null> {
  const rows = await db.$queryRaw<{ reason: IneligibleReason | null }[]>`
    SELECT ${ineligibleReason("a", now)} AS reason
    FROM posts p JOIN users a ON a.id = p.author_id WHERE p.id = ${postId}`;
  return rows[0]?.reason ?? null;
}

/** A post as read for scoring, with what its features row (if any) was computed from. */
export interface PostRow {
  readonly id: string;
  readonly type: string;
  readonly caption: string | null;
  readonly mediaCount: number;
  /** Without NULL elements (legal in a text[] column, meaningless as a tag). */
  readonly tags: string[];
  /** NULL elements dropped from the stored tags. */
  readonly nullTags: number;
  readonly updatedAt: Date;
  /** Soft-deleted by `now`. */
  readonly deleted: boolean;
  readonly reportCount: number;
  readonly storedHash: string | null;
  readonly storedVersion: string | null;
}

/**
 * The posts of one batch that exist as of `now`: a post removed since selection, or (with
 * --post-id) unknown or created after `now`, is simply absent. The one place tags are
 * validated: NULL elements are dropped (and counted), a NULL array reads as no tags.
 */
export async function loadPosts(db: Sql, ids: readonly string[], now: Date): Promise<PostRow[]> {
  return db.$queryRaw<PostRow[]>`
    SELECT p.id, p.type::text AS type, p.caption, p.media_count AS "mediaCount",
           coalesce(array_remove(p.tags, NULL), '{}') AS tags,
           coalesce(cardinality(p.tags) - cardinality(array_remove(p.tags, NULL)), 0)::int
             AS "nullTags",
           p.updated_at AS "updatedAt",
           (p.deleted_at IS NOT NULL AND p.deleted_at <= ${now}) AS deleted,
           (SELECT count(*)::int FROM engagement_events e
            WHERE e.post_id = p.id AND e.type = 'REPORT' AND e.occurred_at <= ${now}) AS "reportCount",
           f.input_hash AS "storedHash", f.algorithm_version AS "storedVersion"
    FROM posts p
    LEFT JOIN post_features f ON f.post_id = p.id
    WHERE p.id = ANY(${ids}::text[]) AND p.created_at <= ${now}
    ORDER BY p.id`;
}

export interface ScoredPost {
  readonly post: PostRow;
  readonly inputHash: string;
  readonly features: ContentFeatures;
}

/**
 * Upserts one batch in one statement into `table` (the table, or a full run's rebuild copy)
 * and returns the ids written. A post soft-deleted or removed since it was read is not
 * written: the join skips it, and FOR KEY SHARE makes a concurrent delete either wait for this
 * statement or be seen by it.
 */
export async function writeFeatures(
  db: Sql,
  scored: readonly ScoredPost[],
  run: { now: Date; algorithmVersion: string },
  table: string = FEATURES,
): Promise<Set<string>> {
  if (scored.length === 0) return new Set();
  const f = scored.map((s) => s.features);
  const rows = await db.$queryRaw<{ post_id: string }[]>`
    INSERT INTO ${Prisma.raw(table)} (post_id, topics, sentiment, quality, nsfw, nsfw_score, embeddings,
      visual_features, metadata, input_hash, computed_at, algorithm_version, post_updated_at, report_count)
    SELECT u.post_id, ARRAY(SELECT jsonb_array_elements_text(u.topics::jsonb)), u.sentiment,
           u.quality, u.nsfw, u.nsfw_score, u.embeddings::jsonb, u.visual_features::jsonb,
           u.metadata::jsonb, u.input_hash, ${run.now}, ${run.algorithmVersion},
           u.post_updated_at::timestamp(3), u.report_count
    FROM unnest(
      ${scored.map((s) => s.post.id)}::text[],
      ${f.map((x) => JSON.stringify(x.topics))}::text[],
      ${f.map((x) => x.sentiment)}::float8[],
      ${f.map((x) => x.quality)}::float8[],
      ${f.map((x) => x.nsfw)}::boolean[],
      ${f.map((x) => x.nsfwScore)}::float8[],
      ${f.map((x) => jsonOrNull(x.embeddings))}::text[],
      ${f.map((x) => jsonOrNull(x.visualFeatures))}::text[],
      ${f.map((x) => JSON.stringify(x.metadata))}::text[],
      ${scored.map((s) => s.inputHash)}::text[],
      ${scored.map((s) => s.post.updatedAt.toISOString())}::text[],
      ${scored.map((s) => s.post.reportCount)}::int[]
    ) AS u(post_id, topics, sentiment, quality, nsfw, nsfw_score, embeddings, visual_features,
           metadata, input_hash, post_updated_at, report_count)
    JOIN posts p ON p.id = u.post_id AND (p.deleted_at IS NULL OR p.deleted_at > ${run.now})
    FOR KEY SHARE OF p
    ON CONFLICT (post_id) DO UPDATE SET
      topics = EXCLUDED.topics, sentiment = EXCLUDED.sentiment, quality = EXCLUDED.quality,
      nsfw = EXCLUDED.nsfw, nsfw_score = EXCLUDED.nsfw_score, embeddings = EXCLUDED.embeddings,
      visual_features = EXCLUDED.visual_features, metadata = EXCLUDED.metadata,
      input_hash = EXCLUDED.input_hash, computed_at = EXCLUDED.computed_at,
      algorithm_version = EXCLUDED.algorithm_version,
      post_updated_at = EXCLUDED.post_updated_at, report_count = EXCLUDED.report_count
    RETURNING post_id`;
  return new Set(rows.map((row) => row.post_id));
}

/**
 * For posts whose hash is unchanged although their updated_at moved (an edit that changed
 * nothing scored): records the new updated_at so the next selection does not pick them again.
 */
export async function markUnchanged(db: Sql, posts: readonly PostRow[]): Promise<number> {
  if (posts.length === 0) return 0;
  return db.$executeRaw`
    UPDATE post_features f SET post_updated_at = u.updated_at::timestamp(3)
    FROM unnest(${posts.map((p) => p.id)}::text[], ${posts.map((p) => p.updatedAt.toISOString())}::text[])
      AS u(post_id, updated_at)
    WHERE f.post_id = u.post_id AND f.post_updated_at IS DISTINCT FROM u.updated_at::timestamp(3)`;
}

/**
 * Removes the features of posts soft-deleted by `now` and then of posts whose author is not
 * eligible at `now` (all of them, or the one given), counting each kind. Each delete starts
 * from its few rows: deleted posts by posts(deleted_at), the posts of the ineligible authors
 * by posts(author_id, created_at); neither reads the features of every post.
 */
export async function removeFeaturesOfUnservedPosts(
  db: Sql,
  now: Date,
  postId: string | null,
): Promise<{ deletedPosts: number; ineligibleAuthors: number }> {
  // A separate predicate rather than "$1 IS NULL OR …", so one post is found by its key.
  const onePost = postId === null ? Prisma.empty : Prisma.sql`AND f.post_id = ${postId}`;
  const deletedPosts = await db.$executeRaw`
    DELETE FROM post_features f USING posts p
    WHERE p.id = f.post_id AND p.deleted_at <= ${now} ${onePost}`;
  const authors = await ineligibleUserIds(db, now);
  const ineligibleAuthors =
    authors.length === 0
      ? 0
      : await db.$executeRaw`
          DELETE FROM post_features f USING posts p
          WHERE p.id = f.post_id AND p.author_id = ANY(${authors}::text[]) ${onePost}`;
  return { deletedPosts, ineligibleAuthors };
}

function jsonOrNull(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

/**
 * A full run's check of the rebuild copy before it is swapped in: no row of a post deleted by
 * `now` or whose author is not eligible then (every run removes those first and never scores
 * them). From the few such posts, by posts(deleted_at) and posts(author_id, created_at).
 */
export async function assertOnlyServedPosts(db: Sql, now: Date): Promise<void> {
  const copy = Prisma.raw(rebuildCopyOf(FEATURES));
  const authors = await ineligibleUserIds(db, now);
  const rows = await db.$queryRaw<{ post_id: string }[]>`
    SELECT f.post_id FROM posts p JOIN ${copy} f ON f.post_id = p.id WHERE p.deleted_at <= ${now}
    UNION ALL
    SELECT f.post_id FROM posts p JOIN ${copy} f ON f.post_id = p.id
    WHERE p.author_id = ANY(${authors}::text[])
    LIMIT 1`;
  const post = rows[0]?.post_id;
  if (post !== undefined) {
    throw new Error(
      `${rebuildCopyOf(FEATURES)}: a row of post ${post}, deleted or of an author not eligible at ${now.toISOString()}; the table is left as it was`,
    );
  }
}
