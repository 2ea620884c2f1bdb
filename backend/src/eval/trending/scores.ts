import type { Database } from "@feed-jobs/db";
import { computeAsOf } from "@feed-jobs/jobs";
import type { TrendingScore } from "@feed-jobs/scoring/trending";
import { trendingJob } from "../../jobs/trending/job.ts";
import type { EvalPoint } from "../types.ts";
import type { ScoredPost } from "./measure.ts";

/** The trending rows a version would have written at the point's T, by post id (nothing is written). */
export async function scoresAsOf(
  db: Database,
  point: EvalPoint,
  overrides: Record<string, unknown>,
  log: (message: string) => void,
): Promise<Map<string, ScoredPost>> {
  const scores = new Map<string, ScoredPost>();
  await computeAsOf(db, trendingJob, {
    asOf: point.asOf,
    overrides,
    log,
    collect: (rows) => {
      for (const row of rows as readonly TrendingScore[]) {
        scores.set(row.postId, { popularity: row.popularity, velocity: row.velocity });
      }
    },
  });
  return scores;
}
