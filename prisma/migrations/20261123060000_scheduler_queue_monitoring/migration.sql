-- CreateEnum
CREATE TYPE "JobRequestStatus" AS ENUM ('PENDING', 'RUNNING', 'RETRY', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "job_requests" (
    "id" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "scope_key" TEXT NOT NULL,
    "reason" TEXT,
    "status" "JobRequestStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "run_after" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "claimed_by" TEXT,
    "run_id" TEXT,
    "last_error" TEXT,

    CONSTRAINT "job_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduler_ticks" (
    "key" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "scheduler_ticks_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "job_controls" (
    "job_name" TEXT NOT NULL,
    "paused_at" TIMESTAMP(3) NOT NULL,
    "paused_by" TEXT,
    "reason" TEXT,

    CONSTRAINT "job_controls_pkey" PRIMARY KEY ("job_name")
);

-- CreateTable
CREATE TABLE "job_daily_stats" (
    "day" DATE NOT NULL,
    "job_name" TEXT NOT NULL,
    "runs" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "cancelled" INTEGER NOT NULL,
    "items_processed" INTEGER NOT NULL,
    "items_failed" INTEGER NOT NULL,
    "duration_p50" INTEGER,
    "duration_p95" INTEGER,
    "coverage" DOUBLE PRECISION,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_daily_stats_pkey" PRIMARY KEY ("day","job_name")
);

-- CreateTable
CREATE TABLE "score_snapshots" (
    "run_id" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "taken_at" TIMESTAMP(3) NOT NULL,
    "rows" INTEGER NOT NULL,
    "quantiles" JSONB NOT NULL,

    CONSTRAINT "score_snapshots_pkey" PRIMARY KEY ("run_id")
);

-- CreateIndex
CREATE INDEX "job_requests_status_run_after_idx" ON "job_requests"("status", "run_after");

-- CreateIndex
CREATE INDEX "job_requests_job_name_created_at_idx" ON "job_requests"("job_name", "created_at");

-- CreateIndex
-- Not in schema.prisma (Prisma cannot express a partial index): at most one PENDING request
-- per job and scope, the target of enqueue's INSERT … ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX "job_requests_job_name_scope_key_key" ON "job_requests"("job_name", "scope_key") WHERE "status" = 'PENDING';

-- CreateIndex
CREATE INDEX "scheduler_ticks_claimed_at_idx" ON "scheduler_ticks"("claimed_at");

-- CreateIndex
CREATE INDEX "score_snapshots_job_name_taken_at_idx" ON "score_snapshots"("job_name", "taken_at");

-- AddForeignKey
ALTER TABLE "score_snapshots" ADD CONSTRAINT "score_snapshots_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "job_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
