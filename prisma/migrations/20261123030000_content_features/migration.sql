-- content-features: what a row was computed from, so that the hourly run selects changed posts in SQL.

-- AlterTable
ALTER TABLE "post_features" ADD COLUMN     "post_updated_at" TIMESTAMP(3),
ADD COLUMN     "report_count" INTEGER NOT NULL DEFAULT 0;

-- Not expressible in Prisma: a partial index over reports only (a small share of engagement),
-- for each post's report count as of the run's clock.
CREATE INDEX "engagement_events_report_post_idx" ON "engagement_events"("post_id", "occurred_at") WHERE "type" = 'REPORT';
