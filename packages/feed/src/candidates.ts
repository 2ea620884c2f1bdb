import { eligiblePerson, Prisma } from "@feed-jobs/db";
import type { CandidatePost, PostTypeName } from "@feed-jobs/scoring/feed";
import { FEED_POLICY } from "./policy.ts";
import type { Sql } from "./sql.ts";

export interface CandidateQuery {
  readonly viewerId: string;
  /** The ranking clock: posts after it do not exist yet. */
  readonly now: Date;
  readonly excludedCreatorIds: readonly string[];
  readonly hiddenPostIds: readonly string[];
  readonly seenPostIds: readonly string[];
  /** Creators of the viewer's affinity profile (one candidate source). */
  readonly affinityCreatorIds: readonly string[];
  readonly allowNsfw: boolean;
}

interface CandidateRow {
  id: string;
  author_id: string;
  type: PostTypeName;
  created_at: Date;
  topics: string[];
  quality: number | null;
  popularity: number | null;
  is_trending: boolean;
  compatibility: number | null;
  match_score: number | null;
  seen: boolean;
}

/**
 * The viewer's candidate posts (at most 500), each with what the precomputed tables say about
 * it, in one statement. Three capped sources, each an index scan: the newest posts of the
 * window (posts.created_at); the newest few of each of the viewer's affinity creators and
 * most compatible people (posts.author_id, created_at: one short range scan per creator, so
 * one prolific creator cannot fill the source); the most popular unexpired trending posts.
 * Every source applies the hard filters before its cap, so excluded posts never use up a
 * slot: deleted posts, authors who are not eligible (the shared rule: adults, neither
 * deactivated nor deleted; so no compatible person or affinity creator who is not eligible
 * contributes a post either), the viewer's own posts, excluded
 * creators, hidden posts, posts without PostFeatures or below the quality threshold, and nsfw
 * posts unless allowed.
 */
export async function loadCandidates(db: Sql, q: CandidateQuery): Promise<CandidatePost[]> {
  const windowStart = new Date(q.now.getTime() - FEED_POLICY.windowDays * 86_400_000);
  const eligiblePosts = Prisma.sql`
    posts p
    JOIN post_features f ON f.post_id = p.id
    JOIN users a ON a.id = p.author_id`;
  const eligible = Prisma.sql`
    p.created_at > ${windowStart} AND p.created_at <= ${q.now}
    AND (p.deleted_at IS NULL OR p.deleted_at > ${q.now})
    AND ${eligiblePerson("a", q.now)}
    AND p.author_id <> ${q.viewerId}
    AND p.author_id <> ALL(${q.excludedCreatorIds}::text[])
    AND p.id <> ALL(${q.hiddenPostIds}::text[])
    AND coalesce(f.quality, 0) >= ${FEED_POLICY.qualityThreshold}::float8
    AND (${q.allowNsfw}::boolean OR NOT f.nsfw)`;
  // Every source carries the columns ranking needs, so no second pass over posts is needed;
  // no ORDER BY: ranking sorts in full (a collated sort of 500 ids costs more than the joins).
  const columns = Prisma.sql`p.id, p.author_id, p.type::text AS type, p.created_at, f.topics, f.quality`;
  const rows = await db.$queryRaw<CandidateRow[]>`
    WITH creators AS (
      SELECT unnest(${q.affinityCreatorIds}::text[]) AS creator_id
      UNION
      SELECT target_user_id FROM (
        SELECT target_user_id FROM user_compatibility
        WHERE viewer_user_id = ${q.viewerId}
        ORDER BY score DESC, target_user_id
        LIMIT ${FEED_POLICY.compatibleCreators}::int
      ) compatible
    ),
    recent AS (
      SELECT ${columns} FROM ${eligiblePosts}
      WHERE ${eligible}
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT ${FEED_POLICY.recentCandidates}::int
    ),
    by_creator AS (
      SELECT own.* FROM creators
      CROSS JOIN LATERAL (
        SELECT ${columns} FROM ${eligiblePosts}
        WHERE p.author_id = creators.creator_id AND ${eligible}
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT ${FEED_POLICY.postsPerCreator}::int
      ) own
      ORDER BY own.created_at DESC, own.id DESC
      LIMIT ${FEED_POLICY.creatorCandidates}::int
    ),
    popular AS (
      SELECT ${columns} FROM trending_scores t JOIN ${eligiblePosts} ON p.id = t.post_id
      WHERE t.expires_at > ${q.now} AND ${eligible}
      ORDER BY t.popularity DESC, p.id
      LIMIT ${FEED_POLICY.trendingCandidates}::int
    ),
    candidates AS (
      SELECT * FROM recent UNION SELECT * FROM by_creator UNION SELECT * FROM popular
    )
    SELECT c.id, c.author_id, c.type, c.created_at, coalesce(c.topics, '{}') AS topics, c.quality,
           t.popularity, coalesce(t.is_trending, false) AS is_trending,
           uc.score AS compatibility, m.score AS match_score,
           c.id = ANY(${q.seenPostIds}::text[]) AS seen
    FROM candidates c
    LEFT JOIN trending_scores t ON t.post_id = c.id AND t.expires_at > ${q.now}
    LEFT JOIN user_compatibility uc
      ON uc.viewer_user_id = ${q.viewerId} AND uc.target_user_id = c.author_id
    LEFT JOIN match_scores m
      ON m.viewer_user_id = ${q.viewerId} AND m.candidate_user_id = c.author_id`;
  return rows.map(toCandidate);
}

function toCandidate(row: CandidateRow): CandidatePost {
  return {
    postId: row.id,
    authorId: row.author_id,
    type: row.type,
    createdAt: row.created_at,
    topics: row.topics,
    quality: row.quality ?? 0,
    popularity: row.popularity,
    isTrending: row.is_trending,
    compatibility: row.compatibility,
    matchScore: row.match_score,
    seen: row.seen,
  };
}
