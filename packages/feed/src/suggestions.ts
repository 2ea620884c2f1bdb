import { eligiblePerson } from "@feed-jobs/db";
import type { Sql } from "./sql.ts";

/** A suggested profile: one of the viewer's top MatchScores (discovery). */
export interface Suggestion {
  readonly userId: string;
  readonly score: number;
  /** MatchScore.reasons, most important first (e.g. "shared_interest:hiking"). */
  readonly reasons: readonly string[];
}

interface SuggestionRow {
  user_id: string;
  score: number;
  reasons: unknown;
}

/**
 * The viewer's best `limit` MatchScores (match_scores(viewer_user_id, score) index), without
 * excluded creators and people who are not eligible at `now` (the shared rule); ties by user id.
 */
export async function loadSuggestions(
  db: Sql,
  viewerId: string,
  excludedCreatorIds: readonly string[],
  limit: number,
  now: Date,
): Promise<Suggestion[]> {
  const rows = await db.$queryRaw<SuggestionRow[]>`
    SELECT m.candidate_user_id AS user_id, m.score, m.reasons
    FROM match_scores m
    JOIN users u ON u.id = m.candidate_user_id
    WHERE m.viewer_user_id = ${viewerId}
      AND m.candidate_user_id <> ALL(${excludedCreatorIds}::text[])
      AND ${eligiblePerson("u", now)}
    ORDER BY m.score DESC, m.candidate_user_id
    LIMIT ${limit}::int`;
  return rows.map((row) => ({
    userId: row.user_id,
    score: row.score,
    reasons: Array.isArray(row.reasons)
      ? row.reasons.filter((r): r is string => typeof r === "string")
      : [],
  }));
}
