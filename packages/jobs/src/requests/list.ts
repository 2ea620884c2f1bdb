import type { Database } from "@feed-jobs/db";
import { runQueue } from "../queue/boss.ts";
import type { RunMessage } from "../queue/messages.ts";

/**
 * Requests as the queue holds them: pg-boss jobs of the run queues (`run.<job>`), live in
 * `pgboss.job` and, once finished for a while, in `pgboss.archive` until deleted. Read with SQL
 * over any connection that runs it: the project's {@link Database} or the queue's own.
 */
export type Sql = Pick<Database, "executeSql">;

/**
 * pg-boss's job states: created (waiting), retry (failed, waiting to run again), active
 * (running), completed, cancelled, failed (every attempt failed: dead, copied to the dead letters).
 */
export const REQUEST_STATES = [
  "created",
  "retry",
  "active",
  "completed",
  "cancelled",
  "failed",
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** A queued run of a job: an event request or a scheduler tick. */
export interface QueuedRequest {
  id: string;
  job: string;
  /** What it asks for: trigger, options (an event's scope, a schedule's mode), reason, time. */
  message: RunMessage;
  /** Its deduplication key: the scope's {@link scopeKey}, or a tick's key. */
  singletonKey: string | null;
  state: RequestState;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  /** When it was queued. */
  createdAt: Date;
  /** Not run before this (a retry's backoff). */
  startAfter: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** The error of its last failed attempt, unless it completed since. */
  lastError: string | null;
  /** The run of its last attempt, when the worker recorded one in the job's output. */
  runId: string | null;
  /** Moved to pgboss.archive (finished a while ago). */
  archived: boolean;
}

export interface RequestFilter {
  state?: RequestState;
  job?: string;
  /** Only the requests whose last attempt was this run. */
  runId?: string;
  /** Default: 20. */
  limit?: number;
}

const RUN_QUEUES = runQueue("");

/** A request's columns, the same in pgboss.job and pgboss.archive. */
const COLUMNS = `id::text AS id, name, data, singleton_key, state::text AS state,
  retry_count + CASE WHEN started_on IS NULL THEN 0 ELSE 1 END AS attempts,
  retry_limit + 1 AS max_attempts, created_on, start_after, started_on, completed_on,
  CASE WHEN state <> 'completed'
    THEN COALESCE(output->>'message', output->'value'->>'message', output::text)
    -- A request ended without a run (its post or user does not exist) says why.
    ELSE output->>'error' END AS last_error,
  output->>'runId' AS run_id`;

/** Both tables' requests, as one relation `r`. */
const REQUESTS = `(
  SELECT ${COLUMNS}, false AS archived FROM pgboss.job WHERE starts_with(name, '${RUN_QUEUES}')
  UNION ALL
  SELECT ${COLUMNS}, true AS archived FROM pgboss.archive WHERE starts_with(name, '${RUN_QUEUES}')
) r`;

/** Requests, newest first. */
export async function listRequests(sql: Sql, filter: RequestFilter = {}): Promise<QueuedRequest[]> {
  const { rows } = await sql.executeSql(
    `SELECT * FROM ${REQUESTS}
     WHERE ($1::text IS NULL OR name = $1) AND ($2::text IS NULL OR state = $2)
       AND ($3::text IS NULL OR run_id = $3)
     ORDER BY created_on DESC, id DESC LIMIT $4`,
    [
      filter.job ? runQueue(filter.job) : null,
      filter.state ?? null,
      filter.runId ?? null,
      filter.limit ?? 20,
    ],
  );
  return rows.map(toRequest);
}

/** Requests whose id starts with `prefix` (at most two: enough to tell unique from ambiguous). */
export async function findRequestsByIdPrefix(sql: Sql, prefix: string): Promise<QueuedRequest[]> {
  if (!/^[0-9a-f-]+$/i.test(prefix)) return [];
  const { rows } = await sql.executeSql(
    `SELECT * FROM ${REQUESTS} WHERE starts_with(id, $1) ORDER BY archived LIMIT 2`,
    [prefix.toLowerCase()],
  );
  return rows.map(toRequest);
}

/** The request waiting (not yet started) on queue `name` under `singletonKey`, if any. */
export async function findQueuedTwin(
  sql: Sql,
  name: string,
  singletonKey: string,
): Promise<string | null> {
  const { rows } = await sql.executeSql(
    `SELECT id::text AS id FROM pgboss.job
     WHERE name = $1 AND singleton_key = $2 AND state = 'created' LIMIT 1`,
    [name, singletonKey],
  );
  return (rows[0]?.id as string | undefined) ?? null;
}

/** Requests waiting to run (created, or retry after a failed attempt): what the alerts watch. */
export async function queueDepth(sql: Sql): Promise<number> {
  const { rows } = await sql.executeSql(
    `SELECT count(*)::int AS n FROM pgboss.job
     WHERE starts_with(name, $1) AND state IN ('created', 'retry')`,
    [RUN_QUEUES],
  );
  return Number(rows[0]?.n ?? 0);
}

/** How many requests are in each state, archived ones included. */
export async function requestCounts(sql: Sql): Promise<Record<RequestState, number>> {
  const { rows } = await sql.executeSql(
    `SELECT state, count(*)::int AS n FROM ${REQUESTS} GROUP BY state`,
  );
  const counts = Object.fromEntries(REQUEST_STATES.map((state) => [state, 0])) as Record<
    RequestState,
    number
  >;
  for (const row of rows) counts[row.state as RequestState] = Number(row.n);
  return counts;
}

function toRequest(row: Record<string, unknown>): QueuedRequest {
  const date = (value: unknown) => (value === null ? null : new Date(value as string | Date));
  return {
    id: row.id as string,
    job: (row.name as string).slice(RUN_QUEUES.length),
    message: row.data as RunMessage,
    singletonKey: (row.singleton_key as string | null) ?? null,
    state: row.state as RequestState,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    createdAt: new Date(row.created_on as string | Date),
    startAfter: new Date(row.start_after as string | Date),
    startedAt: date(row.started_on),
    completedAt: date(row.completed_on),
    lastError: (row.last_error as string | null) ?? null,
    runId: (row.run_id as string | null) ?? null,
    archived: row.archived === true,
  };
}
