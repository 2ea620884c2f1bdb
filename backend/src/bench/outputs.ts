import type { Database, PrismaClient } from "@feed-jobs/db";

/**
 * The output tables the benchmark can rewrite two ways: the raw set-based reference
 * (one INSERT … SELECT FROM unnest per chunk) and the straightforward per-row Prisma upsert.
 */
export interface OutputTable {
  table: string;
  /** Columns with the SQL types used to unnest them. */
  columns: readonly (readonly [name: string, sqlType: string])[];
  /** Upserts one row (as read by `SELECT *`) through the Prisma model: the naive path. */
  upsertRow(prisma: PrismaClient, row: Record<string, unknown>): Promise<unknown>;
}

const ts = "timestamp(3)";

export const outputTables: Record<string, OutputTable> = {
  match_scores: {
    table: "match_scores",
    columns: [
      ["viewer_user_id", "text"],
      ["candidate_user_id", "text"],
      ["score", "float8"],
      ["reasons", "jsonb"],
      ["computed_at", ts],
      ["algorithm_version", "text"],
    ],
    upsertRow: (p, r) => {
      const data = {
        viewerUserId: r.viewer_user_id as string,
        candidateUserId: r.candidate_user_id as string,
        score: r.score as number,
        reasons: r.reasons as object,
        computedAt: r.computed_at as Date,
        algorithmVersion: r.algorithm_version as string,
      };
      const key = { viewerUserId: data.viewerUserId, candidateUserId: data.candidateUserId };
      return p.matchScore.upsert({
        where: { viewerUserId_candidateUserId: key },
        create: data,
        update: data,
      });
    },
  },
  user_compatibility: {
    table: "user_compatibility",
    columns: [
      ["viewer_user_id", "text"],
      ["target_user_id", "text"],
      ["score", "float8"],
      ["factors", "jsonb"],
      ["computed_at", ts],
      ["algorithm_version", "text"],
    ],
    upsertRow: (p, r) => {
      const data = {
        viewerUserId: r.viewer_user_id as string,
        targetUserId: r.target_user_id as string,
        score: r.score as number,
        factors: r.factors as object,
        computedAt: r.computed_at as Date,
        algorithmVersion: r.algorithm_version as string,
      };
      const key = { viewerUserId: data.viewerUserId, targetUserId: data.targetUserId };
      return p.userCompatibility.upsert({
        where: { viewerUserId_targetUserId: key },
        create: data,
        update: data,
      });
    },
  },
  post_features: {
    table: "post_features",
    columns: [
      ["post_id", "text"],
      ["topics", "text[]"],
      ["sentiment", "float8"],
      ["quality", "float8"],
      ["nsfw", "boolean"],
      ["nsfw_score", "float8"],
      ["metadata", "jsonb"],
      ["input_hash", "text"],
      ["computed_at", ts],
      ["algorithm_version", "text"],
    ],
    upsertRow: (p, r) => {
      const data = {
        postId: r.post_id as string,
        topics: r.topics as string[],
        sentiment: r.sentiment as number | null,
        quality: r.quality as number | null,
        nsfw: r.nsfw as boolean,
        nsfwScore: r.nsfw_score as number,
        metadata: (r.metadata ?? undefined) as object | undefined,
        inputHash: r.input_hash as string,
        computedAt: r.computed_at as Date,
        algorithmVersion: r.algorithm_version as string,
      };
      return p.postFeatures.upsert({ where: { postId: data.postId }, create: data, update: data });
    },
  },
  trending_scores: {
    table: "trending_scores",
    columns: [
      ["post_id", "text"],
      ["popularity", "float8"],
      ["velocity", "float8"],
      ["is_trending", "boolean"],
      ["peak_time", ts],
      ["decay_multiplier", "float8"],
      ["engagement_count", "int"],
      ["computed_at", ts],
      ["expires_at", ts],
      ["algorithm_version", "text"],
    ],
    upsertRow: (p, r) => {
      const data = {
        postId: r.post_id as string,
        popularity: r.popularity as number,
        velocity: r.velocity as number,
        isTrending: r.is_trending as boolean,
        peakTime: r.peak_time as Date | null,
        decayMultiplier: r.decay_multiplier as number,
        engagementCount: r.engagement_count as number,
        computedAt: r.computed_at as Date,
        expiresAt: r.expires_at as Date,
        algorithmVersion: r.algorithm_version as string,
      };
      return p.trendingScore.upsert({ where: { postId: data.postId }, create: data, update: data });
    },
  },
  user_affinity_profiles: {
    table: "user_affinity_profiles",
    columns: [
      ["user_id", "text"],
      ["top_creators", "jsonb"],
      ["top_topics", "jsonb"],
      ["content_type_prefs", "jsonb"],
      ["engagement_velocity", "float8"],
      ["exploration_factor", "float8"],
      ["interaction_count", "int"],
      ["computed_at", ts],
      ["algorithm_version", "text"],
    ],
    upsertRow: (p, r) => {
      const data = {
        userId: r.user_id as string,
        topCreators: r.top_creators as object,
        topTopics: r.top_topics as object,
        contentTypePrefs: r.content_type_prefs as object,
        engagementVelocity: r.engagement_velocity as number,
        explorationFactor: r.exploration_factor as number,
        interactionCount: r.interaction_count as number,
        computedAt: r.computed_at as Date,
        algorithmVersion: r.algorithm_version as string,
      };
      return p.userAffinityProfile.upsert({
        where: { userId: data.userId },
        create: data,
        update: data,
      });
    },
  },
};

/** Which table each job writes (jobs not listed have no write-path comparison). */
export const jobOutputs: Record<string, string> = {
  "match-scores": "match_scores",
  compatibility: "user_compatibility",
  "content-features": "post_features",
  trending: "trending_scores",
  affinity: "user_affinity_profiles",
};

export async function sampleRows(db: Database, table: OutputTable, limit: number) {
  // Identifiers come from the fixed map above, never from input.
  return db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT * FROM ${table.table} ORDER BY 1 LIMIT ${Math.floor(limit)}`,
  );
}
