import type { Database } from "@feed-jobs/db";
import { openQueue, type Queue } from "../queue/boss.ts";

/**
 * Opens the queue of `jobNames` on `db` for one short task (a command, an operator's action),
 * without supervising it (the long-lived processes do), and stops it after, leaving `db` open.
 */
export async function withQueue<T>(
  db: Database,
  jobNames: readonly string[],
  use: (queue: Queue) => Promise<T>,
): Promise<T> {
  const queue = await openQueue(db, jobNames, { supervise: false });
  try {
    return await use(queue);
  } finally {
    await queue.stop({ graceful: false, wait: true });
  }
}
