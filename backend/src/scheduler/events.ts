import { type Enqueued, enqueue, type Queue } from "@feed-jobs/jobs";

/**
 * The seed's real-time triggers, for the app to call where the change happens. Each queues a
 * durable request on the job's run queue that a running worker takes within seconds; a request
 * for the same post or user still waiting absorbs a new one. `queue` must be open with the job.
 */

const contentFeatures = { name: "content-features", accepts: ["postId"] } as const;
const matchScores = { name: "match-scores", accepts: ["userId"] } as const;

/** "Post created": extract that post's content features. */
export function postCreated(queue: Queue, postId: string, now: Date): Promise<Enqueued> {
  return enqueue(queue, contentFeatures, { postId }, { now, reason: "post created" });
}

export type ProfileChange = "profile" | "preferences" | "quiz" | "location";

/** "Profile, preferences, quiz or location updated": recompute that user's match scores. */
export function userChanged(
  queue: Queue,
  userId: string,
  change: ProfileChange,
  now: Date,
): Promise<Enqueued> {
  return enqueue(queue, matchScores, { userId }, { now, reason: `${change} updated` });
}
