import { randomUUID } from "node:crypto";
import type { Database } from "@feed-jobs/db";
import { abbreviate } from "../text.ts";
import { assertScopeAccepted, type RequestedJob, type RequestScope, scopeKey } from "./scope.ts";

export interface EnqueueOptions {
  /** When the event happened: the request's creation time and earliest run. */
  now: Date;
  /**
   * What caused it, shown by `requests` (e.g. "post created"); cut to
   * {@link MAX_REASON_LENGTH} characters with a note. Default: none.
   */
  reason?: string;
  /** Attempts before the request is left FAILED. Default: 3. */
  maxAttempts?: number;
}

export interface Enqueued {
  id: string;
  /** False when a PENDING request for the same job and scope already existed and absorbed this one. */
  created: boolean;
}

const DEFAULT_MAX_ATTEMPTS = 3;
/** A reason is a label for operators, not a payload: longer ones are cut when stored. */
export const MAX_REASON_LENGTH = 2_000;
const MAX_INSERT_TRIES = 5;

/**
 * Queues a run of `job` for `scope`. Duplicate PENDING requests collapse into one through the
 * partial unique index on (job_name, scope_key) WHERE status = 'PENDING'; a request already
 * RUNNING or waiting to RETRY does not absorb a new event, whose inputs may be newer.
 */
export async function enqueue(
  db: Database,
  job: RequestedJob,
  scope: RequestScope,
  options: EnqueueOptions,
): Promise<Enqueued> {
  assertScopeAccepted(job, scope);
  const key = scopeKey(scope);
  const reason =
    options.reason === undefined ? null : abbreviate(options.reason, MAX_REASON_LENGTH);
  // The pending twin can be claimed between the refused insert and the lookup: then insert again.
  for (let tries = 1; ; tries++) {
    const id = randomUUID();
    const inserted = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO job_requests
        (id, job_name, scope, scope_key, reason, status, attempts, max_attempts, run_after, created_at)
      VALUES (${id}, ${job.name}, ${key}::jsonb, ${key}, ${reason}, 'PENDING', 0,
              ${options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}, ${options.now}, ${options.now})
      ON CONFLICT (job_name, scope_key) WHERE status = 'PENDING' DO NOTHING
      RETURNING id`;
    if (inserted.length > 0) return { id, created: true };
    const pending = await db.prisma.jobRequest.findFirst({
      where: { jobName: job.name, scopeKey: key, status: "PENDING" },
      select: { id: true },
    });
    if (pending) return { id: pending.id, created: false };
    if (tries >= MAX_INSERT_TRIES)
      throw new Error(`enqueue ${job.name} ${key}: kept racing with workers`);
  }
}
