-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('WOMAN', 'MAN', 'NONBINARY');

-- CreateEnum
CREATE TYPE "RelationshipGoal" AS ENUM ('LONG_TERM', 'SHORT_TERM', 'FRIENDSHIP', 'CASUAL', 'UNSURE');

-- CreateEnum
CREATE TYPE "PostType" AS ENUM ('PHOTO', 'TEXT', 'POLL', 'VIDEO');

-- CreateEnum
CREATE TYPE "EngagementType" AS ENUM ('IMPRESSION', 'SEEN', 'LIKE', 'COMMENT', 'SHARE', 'PROFILE_VIEW', 'HIDE', 'BLOCK', 'REPORT');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "JobTrigger" AS ENUM ('CRON', 'EVENT', 'MANUAL');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "birth_date" DATE,
    "gender" "Gender",
    "genders_sought" "Gender"[],
    "relationship_goal" "RelationshipGoal",
    "attributes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "last_active_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "profile_updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "quiz_updated_at" TIMESTAMP(3),
    "location_updated_at" TIMESTAMP(3),
    "deactivated_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "match_preferences" (
    "user_id" TEXT NOT NULL,
    "min_age" INTEGER NOT NULL DEFAULT 18,
    "max_age" INTEGER NOT NULL DEFAULT 99,
    "max_distance_km" DOUBLE PRECISION NOT NULL DEFAULT 80,
    "dealbreakers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "preferences" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "match_preferences_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "quiz_responses" (
    "user_id" TEXT NOT NULL,
    "answers" DOUBLE PRECISION[],
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quiz_responses_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "user_interests" (
    "user_id" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "user_interests_pkey" PRIMARY KEY ("user_id","tag")
);

-- CreateTable
CREATE TABLE "posts" (
    "id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "type" "PostType" NOT NULL,
    "caption" TEXT,
    "media_count" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMP(3),

    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" TEXT NOT NULL,
    "sender_id" TEXT NOT NULL,
    "recipient_id" TEXT NOT NULL,
    "sent_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "engagement_events" (
    "id" BIGSERIAL NOT NULL,
    "actor_id" TEXT NOT NULL,
    "type" "EngagementType" NOT NULL,
    "post_id" TEXT,
    "target_user_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "engagement_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "match_scores" (
    "viewer_user_id" TEXT NOT NULL,
    "candidate_user_id" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "match_scores_pkey" PRIMARY KEY ("viewer_user_id","candidate_user_id")
);

-- CreateTable
CREATE TABLE "user_compatibility" (
    "viewer_user_id" TEXT NOT NULL,
    "target_user_id" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "factors" JSONB NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "user_compatibility_pkey" PRIMARY KEY ("viewer_user_id","target_user_id")
);

-- CreateTable
CREATE TABLE "post_features" (
    "post_id" TEXT NOT NULL,
    "topics" TEXT[],
    "sentiment" DOUBLE PRECISION,
    "quality" DOUBLE PRECISION,
    "nsfw" BOOLEAN NOT NULL DEFAULT false,
    "nsfw_score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "embeddings" JSONB,
    "visual_features" JSONB,
    "metadata" JSONB,
    "input_hash" TEXT NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "post_features_pkey" PRIMARY KEY ("post_id")
);

-- CreateTable
CREATE TABLE "trending_scores" (
    "post_id" TEXT NOT NULL,
    "popularity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "velocity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "is_trending" BOOLEAN NOT NULL DEFAULT false,
    "peak_time" TIMESTAMP(3),
    "decay_multiplier" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "engagement_count" INTEGER NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "trending_scores_pkey" PRIMARY KEY ("post_id")
);

-- CreateTable
CREATE TABLE "user_affinity_profiles" (
    "user_id" TEXT NOT NULL,
    "top_creators" JSONB NOT NULL,
    "top_topics" JSONB NOT NULL,
    "content_type_prefs" JSONB NOT NULL,
    "engagement_velocity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "exploration_factor" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "interaction_count" INTEGER NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "user_affinity_profiles_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "job_runs" (
    "id" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL,
    "trigger" "JobTrigger" NOT NULL,
    "scope" JSONB,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    "duration" INTEGER,
    "items_processed" INTEGER,
    "items_failed" INTEGER,
    "algorithm_version" TEXT,
    "error" TEXT,
    "metadata" JSONB,
    "as_of" TIMESTAMP(3),
    "host" TEXT,
    "pid" INTEGER,
    "cancel_requested_at" TIMESTAMP(3),

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "users_gender_idx" ON "users"("gender");

-- CreateIndex
CREATE INDEX "user_interests_tag_idx" ON "user_interests"("tag");

-- CreateIndex
CREATE INDEX "posts_author_id_created_at_idx" ON "posts"("author_id", "created_at");

-- CreateIndex
CREATE INDEX "posts_created_at_idx" ON "posts"("created_at");

-- CreateIndex
CREATE INDEX "posts_updated_at_idx" ON "posts"("updated_at");

-- CreateIndex
CREATE INDEX "messages_sender_id_sent_at_idx" ON "messages"("sender_id", "sent_at");

-- CreateIndex
CREATE INDEX "messages_recipient_id_sent_at_idx" ON "messages"("recipient_id", "sent_at");

-- CreateIndex
CREATE INDEX "engagement_events_actor_id_occurred_at_idx" ON "engagement_events"("actor_id", "occurred_at");

-- CreateIndex
CREATE INDEX "engagement_events_target_user_id_occurred_at_idx" ON "engagement_events"("target_user_id", "occurred_at");

-- CreateIndex
CREATE INDEX "engagement_events_post_id_occurred_at_idx" ON "engagement_events"("post_id", "occurred_at");

-- CreateIndex
CREATE INDEX "engagement_events_occurred_at_idx" ON "engagement_events"("occurred_at");

-- CreateIndex
CREATE INDEX "match_scores_viewer_user_id_score_idx" ON "match_scores"("viewer_user_id", "score");

-- CreateIndex
CREATE INDEX "match_scores_candidate_user_id_idx" ON "match_scores"("candidate_user_id");

-- CreateIndex
CREATE INDEX "match_scores_computed_at_idx" ON "match_scores"("computed_at");

-- CreateIndex
CREATE INDEX "user_compatibility_viewer_user_id_score_idx" ON "user_compatibility"("viewer_user_id", "score");

-- CreateIndex
CREATE INDEX "user_compatibility_computed_at_idx" ON "user_compatibility"("computed_at");

-- CreateIndex
CREATE INDEX "post_features_quality_idx" ON "post_features"("quality");

-- CreateIndex
CREATE INDEX "post_features_nsfw_idx" ON "post_features"("nsfw");

-- CreateIndex
CREATE INDEX "post_features_computed_at_idx" ON "post_features"("computed_at");

-- CreateIndex
CREATE INDEX "trending_scores_popularity_idx" ON "trending_scores"("popularity");

-- CreateIndex
CREATE INDEX "trending_scores_velocity_idx" ON "trending_scores"("velocity");

-- CreateIndex
CREATE INDEX "trending_scores_expires_at_idx" ON "trending_scores"("expires_at");

-- CreateIndex
CREATE INDEX "trending_scores_computed_at_idx" ON "trending_scores"("computed_at");

-- CreateIndex
CREATE INDEX "user_affinity_profiles_computed_at_idx" ON "user_affinity_profiles"("computed_at");

-- CreateIndex
CREATE INDEX "job_runs_job_name_started_at_idx" ON "job_runs"("job_name", "started_at");

-- CreateIndex
CREATE INDEX "job_runs_status_idx" ON "job_runs"("status");

-- AddForeignKey
ALTER TABLE "match_preferences" ADD CONSTRAINT "match_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_responses" ADD CONSTRAINT "quiz_responses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_interests" ADD CONSTRAINT "user_interests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "match_scores" ADD CONSTRAINT "match_scores_viewer_user_id_fkey" FOREIGN KEY ("viewer_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "match_scores" ADD CONSTRAINT "match_scores_candidate_user_id_fkey" FOREIGN KEY ("candidate_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_compatibility" ADD CONSTRAINT "user_compatibility_viewer_user_id_fkey" FOREIGN KEY ("viewer_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_compatibility" ADD CONSTRAINT "user_compatibility_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "post_features" ADD CONSTRAINT "post_features_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trending_scores" ADD CONSTRAINT "trending_scores_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_affinity_profiles" ADD CONSTRAINT "user_affinity_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
