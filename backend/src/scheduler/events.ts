import type { Database } from "@feed-jobs/db";
import { type Enqueued, enqueue } from "@feed-jobs/jobs";

/**
 * The seed's real-time triggers, for the app to call where the change happens. Each queues a
 * durable request that a running scheduler handles within seconds; duplicates pending for the
 * same post or user collapse into one.
 */

const contentFeatures = { name: "content-features", accepts: ["postId"] } as const;
const matchScores = { name: "match-scores", accepts: ["userId"] } as const;

/** "Post created": extract that post's content features. */
export function postCreated(db: Database, postId: string, now: Date): Promise<Enqueued> {
  return enqueue(db, contentFeatures, { postId }, { now, reason: "post created" });
}

export type ProfileChange = "profile" | "preferences" | "quiz" | "location";

/** "Profile, preferences, quiz or location updated": recompute that user's match scores. */
export function userChanged(
  db: Database,
  userId: string,
  change: ProfileChange,
  now: Date,
): Promise<Enqueued> {
  return enqueue(db, matchScores, { userId }, { now, reason: `${change} updated` });
}
