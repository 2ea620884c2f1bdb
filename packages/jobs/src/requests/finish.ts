import type { Database } from "@feed-jobs/db";
import { backoffDelayMs } from "./backoff.ts";
import type { JobRequest } from "./claim.ts";

/**
 * Outcomes of a claimed request. Each update matches the request only while it is still the
 * claim it was (same attempt): a failure only while RUNNING, so a claim recovered as abandoned
 * keeps its recovery; a success also after such a recovery, until the request is claimed again.
 */

type Claim = Pick<JobRequest, "id" | "attempts" | "maxAttempts">;

/** The run succeeded: DONE, even if the claim was recovered as abandoned meanwhile. */
export async function complete(
  db: Database,
  claim: Claim,
  outcome: { now: Date; runId: string },
): Promise<boolean> {
  const updated = await db.prisma.jobRequest.updateMany({
    where: {
      id: claim.id,
      status: { in: ["RUNNING", "RETRY", "FAILED"] },
      attempts: claim.attempts,
    },
    data: { status: "DONE", completedAt: outcome.now, runId: outcome.runId },
  });
  return updated.count === 1;
}

export interface Failure {
  now: Date;
  error: string;
  /** The failed run, when one was recorded. */
  runId?: string | null;
  /** Base of the exponential backoff. */
  retryBaseMs: number;
  /** No further attempt (the run was cancelled by an operator). Default: false. */
  final?: boolean;
}

/** The attempt failed: RETRY after a backoff, or FAILED with its error after the last attempt. */
export async function fail(
  db: Database,
  claim: Claim,
  failure: Failure,
): Promise<"RETRY" | "FAILED" | "lost"> {
  const exhausted = failure.final === true || claim.attempts >= claim.maxAttempts;
  const runAfter = new Date(
    failure.now.getTime() + backoffDelayMs(failure.retryBaseMs, claim.attempts),
  );
  const updated = await db.prisma.jobRequest.updateMany({
    where: { id: claim.id, status: "RUNNING", attempts: claim.attempts },
    data: {
      status: exhausted ? "FAILED" : "RETRY",
      lastError: failure.error,
      runId: failure.runId ?? null,
      ...(exhausted ? { completedAt: failure.now } : { runAfter }),
    },
  });
  if (updated.count === 0) return "lost";
  return exhausted ? "FAILED" : "RETRY";
}

/**
 * The attempt did not happen (the job was busy, or the process is stopping): back to RETRY at
 * `runAfter` without spending an attempt.
 */
export async function release(
  db: Database,
  claim: Claim,
  release: { runAfter: Date; reason: string },
): Promise<boolean> {
  const updated = await db.prisma.jobRequest.updateMany({
    where: { id: claim.id, status: "RUNNING", attempts: claim.attempts },
    data: {
      status: "RETRY",
      attempts: claim.attempts - 1,
      runAfter: release.runAfter,
      lastError: release.reason,
    },
  });
  return updated.count === 1;
}

/**
 * An operator's retry of a FAILED request: RETRY now, with its attempts reset. False when the
 * request is not FAILED.
 */
export async function retry(db: Database, requestId: string, now: Date): Promise<boolean> {
  const updated = await db.prisma.jobRequest.updateMany({
    where: { id: requestId, status: "FAILED" },
    data: { status: "RETRY", attempts: 0, runAfter: now, completedAt: null },
  });
  return updated.count === 1;
}
