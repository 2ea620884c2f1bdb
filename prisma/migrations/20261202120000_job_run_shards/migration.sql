-- Sharded full runs: one row per shard of a run (its spec, latest attempt, where it ran and what
-- it counted), and one row per run's rebuild telling whether the copies were swapped in.
-- CreateEnum
CREATE TYPE "ShardStatus" AS ENUM ('PENDING', 'RUNNING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "job_run_shards" (
    "run_id" TEXT NOT NULL,
    "shard_index" INTEGER NOT NULL,
    "job_name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "status" "ShardStatus" NOT NULL DEFAULT 'PENDING',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "host" TEXT,
    "pid" INTEGER,
    "queue_job_id" TEXT,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "duration_ms" INTEGER,
    "items_processed" INTEGER NOT NULL DEFAULT 0,
    "items_failed" INTEGER NOT NULL DEFAULT 0,
    "failures" JSONB,
    "excluded" JSONB,
    "rows_scanned" BIGINT NOT NULL DEFAULT 0,
    "rows_written" BIGINT NOT NULL DEFAULT 0,
    "notes" JSONB,
    "error" TEXT,

    CONSTRAINT "job_run_shards_pkey" PRIMARY KEY ("run_id","shard_index")
);

-- CreateTable
CREATE TABLE "job_run_rebuilds" (
    "run_id" TEXT NOT NULL,
    "finalizer_shard" INTEGER,
    "finalized_at" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "job_run_rebuilds_pkey" PRIMARY KEY ("run_id")
);

-- AddForeignKey
ALTER TABLE "job_run_shards" ADD CONSTRAINT "job_run_shards_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "job_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_run_rebuilds" ADD CONSTRAINT "job_run_rebuilds_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "job_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
