import type { Database } from "@feed-jobs/db";
import { computeAsOf } from "@feed-jobs/jobs";
import type { AffinityProfile } from "@feed-jobs/scoring/affinity";
import { affinityJob } from "../../jobs/affinity/job.ts";
import type { EvalPoint } from "../types.ts";
import { K, type Ranking } from "./recall.ts";

/** A profile's top K, and the activity its cold start counted (its interactionCount). */
export interface ProfileRanking extends Ranking {
  readonly activity: number;
}

/**
 * The affinity job's profiles as of the point (a dry run with `overrides`, nothing written),
 * reduced as they arrive to the top K of the users in `users`: a run's other profiles are
 * dropped batch by batch instead of kept.
 */
export async function profilesAsOf(
  db: Database,
  point: EvalPoint,
  overrides: Record<string, unknown>,
  users: { has(userId: string): boolean },
  log: (message: string) => void,
): Promise<Map<string, ProfileRanking>> {
  const rankings = new Map<string, ProfileRanking>();
  const collect = (rows: readonly unknown[]) => {
    for (const profile of rows as readonly AffinityProfile[]) {
      if (!users.has(profile.userId)) continue;
      rankings.set(profile.userId, {
        creators: profile.topCreators.slice(0, K).map((c) => c.userId),
        topics: profile.topTopics.slice(0, K).map((t) => t.tag),
        activity: profile.interactionCount,
      });
    }
  };
  await computeAsOf(db, affinityJob, { asOf: point.asOf, overrides, collect, log });
  return rankings;
}
