-- match-scores: bookkeeping for incremental runs, candidate-retrieval indexes, pgvector.

-- CreateTable
CREATE TABLE "match_score_viewers" (
    "viewer_user_id" TEXT NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "algorithm_version" TEXT NOT NULL,
    "candidate_count" INTEGER NOT NULL,

    CONSTRAINT "match_score_viewers_pkey" PRIMARY KEY ("viewer_user_id")
);

-- CreateIndex
CREATE INDEX "match_score_viewers_computed_at_idx" ON "match_score_viewers"("computed_at");

-- CreateIndex
CREATE INDEX "users_gender_latitude_birth_date_idx" ON "users"("gender", "latitude", "birth_date");

-- AddForeignKey
ALTER TABLE "match_score_viewers" ADD CONSTRAINT "match_score_viewers_viewer_user_id_fkey" FOREIGN KEY ("viewer_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in Prisma: partial indexes over the negative signals only (hide, block,
-- report are a small share of engagement), looked up by either user of a pair.
CREATE INDEX "engagement_events_negative_actor_idx" ON "engagement_events"("actor_id", "target_user_id", "occurred_at") WHERE "type" IN ('HIDE', 'BLOCK', 'REPORT');
CREATE INDEX "engagement_events_negative_target_idx" ON "engagement_events"("target_user_id", "actor_id", "occurred_at") WHERE "type" IN ('HIDE', 'BLOCK', 'REPORT');

-- Where pgvector is available but not yet installed (a server; the embedded database loads it
-- itself), install it: large candidate pools are then narrowed by quiz distance in SQL. No
-- vector index: the pool is filtered first (gender, location band, age window) and ranked
-- exactly; an HNSW index post-filters and, on these selective filters, was ~30x slower and
-- returned incomplete pools. Quiz answers stay double precision[], so servers without
-- pgvector run the same migration and narrow in the job instead.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pgvector is available but this role cannot install it: quiz narrowing runs in the job';
END $$;
