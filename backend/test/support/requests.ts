import type { Database } from "@feed-jobs/db";
import {
  type Enqueued,
  type EnqueueOptions,
  enqueue,
  type RequestedJob,
  type RequestScope,
  withQueue,
} from "@feed-jobs/jobs";

/** Queues a request of `job` as `enqueue` does, on a queue opened for it. */
export function queueRequest(
  db: Database,
  job: RequestedJob,
  scope: RequestScope,
  options: EnqueueOptions,
): Promise<Enqueued> {
  return withQueue(db, [job.name], (queue) => enqueue(queue, job, scope, options));
}

/**
 * Leaves request `id` as pg-boss leaves one whose every attempt failed with `error`: failed
 * (dead), its attempts spent, the error as its output.
 */
export async function markDead(db: Database, id: string, error: string): Promise<void> {
  await db.executeSql(
    `UPDATE pgboss.job SET state = 'failed', retry_count = retry_limit, started_on = now(),
       completed_on = now(), output = jsonb_build_object('message', $2::text)
     WHERE id = $1::uuid`,
    [id, error],
  );
}
