import { type Queue, runQueue } from "../queue/boss.ts";
import { type Enqueued, sendRun } from "./enqueue.ts";
import { findRequestsByIdPrefix, type QueuedRequest } from "./list.ts";
import { scopeKey } from "./scope.ts";

/** `retry` of a request that is not dead. */
export class NotRetriable extends Error {
  constructor(readonly request: QueuedRequest) {
    super(`request ${request.id} is ${request.state}; only failed requests can be retried.`);
    this.name = "NotRetriable";
  }
}

/**
 * An operator's retry of a dead request (state failed: its attempts spent): queues it again
 * now, with the same message and a full set of attempts, as a new request (or into a twin
 * already waiting), and removes the dead one, so that it no longer shows as dead. pg-boss's own
 * `retry` is not used: it leaves the failure's completion time, which would archive the retried
 * request mid-run when it failed more than a day ago. Throws {@link NotRetriable} when
 * the request is not failed; null when there is no request `id`.
 */
export async function retry(queue: Queue, id: string): Promise<Enqueued | null> {
  const sql = queue.getDb();
  const request = (await findRequestsByIdPrefix(sql, id)).find((found) => found.id === id);
  if (!request) return null;
  if (request.state !== "failed") throw new NotRetriable(request);
  const name = runQueue(request.job);
  const singletonKey = request.singletonKey ?? scopeKey(request.message.options);
  const queued = await sendRun(queue, name, request.message, { singletonKey });
  await sql.executeSql(
    `DELETE FROM pgboss.${request.archived ? "archive" : "job"}
     WHERE name = $1 AND id = $2::uuid AND state = 'failed'`,
    [name, request.id],
  );
  return queued;
}
