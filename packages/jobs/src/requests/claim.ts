import type { Database, Prisma } from "@feed-jobs/db";
import { jobLockKey } from "../job-runs.ts";

export type JobRequest = Prisma.JobRequestModel;

export interface ClaimOptions {
  /** Who claims (host:pid), recorded on the request. */
  owner: string;
  /** Only requests of these jobs: the ones the worker can run. */
  jobs: readonly string[];
  /** Leave requests of these jobs queued (paused jobs). Default: none. */
  skip?: readonly string[];
}

/**
 * Claims the next due request (PENDING or RETRY with run_after ≤ now), oldest due first, and
 * marks it RUNNING with one more attempt. FOR UPDATE SKIP LOCKED: concurrent workers never
 * take the same request and never wait on each other. Null when nothing is due.
 */
export async function claimNext(
  db: Database,
  now: Date,
  options: ClaimOptions,
): Promise<JobRequest | null> {
  const claimed = await db.prisma.$queryRaw<{ id: string }[]>`
    UPDATE job_requests
    SET status = 'RUNNING', attempts = attempts + 1, started_at = ${now}, heartbeat_at = ${now},
        completed_at = NULL, claimed_by = ${options.owner}
    WHERE id = (
      SELECT id FROM job_requests
      WHERE status IN ('PENDING', 'RETRY') AND run_after <= ${now}
        AND job_name = ANY(${[...options.jobs]}::text[])
        AND NOT (job_name = ANY(${[...(options.skip ?? [])]}::text[]))
      ORDER BY run_after, created_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  const id = claimed[0]?.id;
  return id === undefined ? null : db.prisma.jobRequest.findUnique({ where: { id } });
}

/**
 * Claims whose worker died go back to RETRY, or to FAILED when that was their last attempt:
 * a claim is abandoned when its worker has not beaten its heartbeat since `now - staleAfterMs`
 * and nobody holds its job's lock (a run of the job in progress may be the claim's own, on a
 * worker too busy to beat). Its age alone never decides. Returns how many were recovered.
 */
export async function recoverAbandoned(
  db: Database,
  now: Date,
  staleAfterMs: number,
): Promise<number> {
  const cutoff = new Date(now.getTime() - staleAfterMs);
  const stale = await db.prisma.jobRequest.findMany({
    where: { status: "RUNNING", heartbeatAt: { lt: cutoff } },
    select: { id: true, jobName: true, attempts: true },
  });
  let recovered = 0;
  for (const claim of stale) {
    if (await db.isLockHeld(jobLockKey(claim.jobName))) continue;
    recovered += await db.prisma.$executeRaw`
      UPDATE job_requests
      SET status = CASE WHEN attempts >= max_attempts THEN 'FAILED' ELSE 'RETRY' END::"JobRequestStatus",
          completed_at = CASE WHEN attempts >= max_attempts THEN ${now}::timestamp(3) END,
          run_after = ${now},
          last_error = 'abandoned: the worker running it stopped before recording a result'
      WHERE id = ${claim.id} AND status = 'RUNNING' AND attempts = ${claim.attempts}
        AND heartbeat_at < ${cutoff}`;
  }
  return recovered;
}

/**
 * The claim's worker is alive and still running it: moves its heartbeat to `now`. False when
 * the claim is no longer this worker's (recovered as abandoned, or claimed again).
 */
export async function heartbeat(
  db: Database,
  claim: Pick<JobRequest, "id" | "attempts">,
  now: Date,
): Promise<boolean> {
  const { count } = await db.prisma.jobRequest.updateMany({
    where: { id: claim.id, status: "RUNNING", attempts: claim.attempts },
    data: { heartbeatAt: now },
  });
  return count === 1;
}
