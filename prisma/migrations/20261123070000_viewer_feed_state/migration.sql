-- viewer-state: each viewer's precomputed feed filters and seen posts, so the feed never
-- reads engagement_events at request time.

-- CreateTable
CREATE TABLE "viewer_feed_state" (
    "viewer_user_id" TEXT NOT NULL,
    "excluded_creator_ids" TEXT[],
    "hidden_post_ids" TEXT[],
    "seen_post_ids" TEXT[],
    "computed_at" TIMESTAMP(3) NOT NULL,
    "algorithm_version" TEXT NOT NULL,

    CONSTRAINT "viewer_feed_state_pkey" PRIMARY KEY ("viewer_user_id")
);

-- AddForeignKey
ALTER TABLE "viewer_feed_state" ADD CONSTRAINT "viewer_feed_state_viewer_user_id_fkey" FOREIGN KEY ("viewer_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
