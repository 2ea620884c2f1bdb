import type { Database, Prisma } from "@feed-jobs/db";
import type { Counters } from "../counters.ts";
import type { ShardSpec } from "../definition.ts";

/**
 * Repository functions for `job_run_shards` and `job_run_rebuilds`: the only place that writes
 * them. A shard's attempt number is its token: every write of an attempt matches it, so an
 * attempt that a retry superseded (its worker was taken for dead) changes nothing.
 */

export type ShardRow = Prisma.JobRunShardModel;
export type RebuildRow = Prisma.JobRunRebuildModel;

type Sql = Pick<Prisma.TransactionClient, "$executeRawUnsafe">;

/** Which shard of which run. */
export interface ShardKey {
  readonly runId: string;
  readonly index: number;
}

/** One PENDING row per spec, and the run's rebuild row (not yet finalised). */
export async function insertShards(
  db: Database,
  runId: string,
  jobName: string,
  specs: readonly ShardSpec[],
): Promise<void> {
  await db.prisma.$transaction([
    db.prisma.jobRunRebuild.create({ data: { runId } }),
    db.prisma.jobRunShard.createMany({
      data: specs.map((spec, shardIndex) => ({
        runId,
        shardIndex,
        jobName,
        spec: spec as Prisma.InputJsonValue,
      })),
    }),
  ]);
}

export async function recordQueueJobIds(
  db: Database,
  runId: string,
  ids: readonly string[],
): Promise<void> {
  await db.prisma.$transaction(
    ids.map((queueJobId, shardIndex) =>
      db.prisma.jobRunShard.update({
        where: { runId_shardIndex: { runId, shardIndex } },
        data: { queueJobId },
      }),
    ),
  );
}

export interface AttemptStart {
  host: string;
  pid: number;
  startedAt: Date;
}

/**
 * Starts the next attempt of a shard that is not DONE while its run is RUNNING and not asked to
 * stop; returns the attempt's number (its token), or null when there is nothing to do.
 */
export async function startAttempt(
  db: Database,
  key: ShardKey,
  start: AttemptStart,
): Promise<number | null> {
  const rows = await db.prisma.$queryRaw<{ attempt: number }[]>`
    UPDATE job_run_shards s
    SET status = 'RUNNING', attempt = s.attempt + 1, host = ${start.host}, pid = ${start.pid},
        started_at = ${start.startedAt}, completed_at = NULL, duration_ms = NULL,
        items_processed = 0, items_failed = 0, error = NULL
    WHERE s.run_id = ${key.runId} AND s.shard_index = ${key.index} AND s.status <> 'DONE'
      AND EXISTS (SELECT 1 FROM job_runs r WHERE r.id = s.run_id
                  AND r.status = 'RUNNING' AND r.cancel_requested_at IS NULL)
    RETURNING s.attempt`;
  return rows[0]?.attempt ?? null;
}

/** Why an attempt must stop at its checkpoint, or null while it may go on. */
export type AttemptStop = "superseded" | "run ended" | null;

/**
 * Records an attempt's progress (what the coordinator shows while it waits) and tells whether
 * the attempt may go on: its run still RUNNING and not asked to stop, the attempt not superseded.
 */
export async function recordAttemptProgress(
  db: Database,
  key: ShardKey,
  attempt: number,
  counters: Counters,
): Promise<AttemptStop> {
  const rows = await db.prisma.$queryRaw<{ running: boolean }[]>`
    UPDATE job_run_shards s
    SET items_processed = ${counters.done}, items_failed = ${counters.failed}
    WHERE s.run_id = ${key.runId} AND s.shard_index = ${key.index} AND s.attempt = ${attempt}
    RETURNING EXISTS (SELECT 1 FROM job_runs r WHERE r.id = s.run_id
                      AND r.status = 'RUNNING' AND r.cancel_requested_at IS NULL) AS running`;
  const row = rows[0];
  if (!row) return "superseded";
  return row.running ? null : "run ended";
}

/** Records a completed attempt's counters; false when the attempt was superseded. */
export async function recordShardDone(
  db: Database,
  key: ShardKey,
  attempt: number,
  counters: Counters,
  completedAt: Date,
  durationMs: number,
): Promise<boolean> {
  const json = (value: unknown) => value as Prisma.InputJsonValue;
  const { count } = await db.prisma.jobRunShard.updateMany({
    where: { runId: key.runId, shardIndex: key.index, attempt },
    data: {
      status: "DONE",
      completedAt,
      durationMs,
      itemsProcessed: counters.done,
      itemsFailed: counters.failed,
      failures: json(counters.failureSamples),
      excluded: json(counters.excluded),
      rowsScanned: BigInt(counters.rowsScanned),
      rowsWritten: BigInt(counters.rowsWritten),
      notes: json(counters.notes),
    },
  });
  return count === 1;
}

export async function recordShardFailed(
  db: Database,
  key: ShardKey,
  attempt: number,
  error: string,
  completedAt: Date,
): Promise<void> {
  await db.prisma.jobRunShard.updateMany({
    where: { runId: key.runId, shardIndex: key.index, attempt },
    data: { status: "FAILED", error, completedAt },
  });
}

/** The claimer of a run with no shard at all: its coordinator swaps the (empty) copies in. */
export const NO_SHARD = -1;

/**
 * Claims the finalising of a run's rebuild for shard `index`, in one statement: only when every
 * shard is DONE, the run is RUNNING and not asked to stop, and nobody else claimed it (a retry of
 * the claiming shard may claim again: its earlier attempt died). Each worker records its shard
 * DONE before it tries, so the worker whose DONE committed last sees every shard DONE; the row
 * lock on the rebuild row makes a second claimer re-read the claim and give way.
 */
export async function claimFinalising(db: Database, key: ShardKey): Promise<boolean> {
  const claimed = await db.prisma.$executeRaw`
    UPDATE job_run_rebuilds b SET finalizer_shard = ${key.index}
    WHERE b.run_id = ${key.runId} AND b.finalized_at IS NULL AND b.error IS NULL
      AND (b.finalizer_shard IS NULL OR b.finalizer_shard = ${key.index})
      AND NOT EXISTS (SELECT 1 FROM job_run_shards s
                      WHERE s.run_id = b.run_id AND s.status <> 'DONE')
      AND EXISTS (SELECT 1 FROM job_runs r WHERE r.id = b.run_id
                  AND r.status = 'RUNNING' AND r.cancel_requested_at IS NULL)`;
  return claimed === 1;
}

/** Inside the swap's transaction: the copies are in exactly when this commits. */
export async function markFinalised(tx: Sql, runId: string, at: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    "UPDATE job_run_rebuilds SET finalized_at = $1 WHERE run_id = $2",
    at,
    runId,
  );
}

/** Why the copies could not be validated or swapped in: the coordinator fails the run. */
export async function recordFinalisingError(
  db: Database,
  runId: string,
  error: string,
): Promise<void> {
  await db.prisma.jobRunRebuild.updateMany({
    where: { runId, finalizedAt: null },
    data: { error },
  });
}

export async function readShards(db: Database, runId: string): Promise<ShardRow[]> {
  return db.prisma.jobRunShard.findMany({ where: { runId }, orderBy: { shardIndex: "asc" } });
}

export async function readRebuild(db: Database, runId: string): Promise<RebuildRow> {
  return db.prisma.jobRunRebuild.findUniqueOrThrow({ where: { runId } });
}
