-- trending: indexes for the 15-minute aggregation over the last 48 hours of engagement.

-- Not expressible in Prisma: a partial, covering index over the actions and negative actions
-- on posts (impressions and "seen", the bulk of the log, left out), so that each candidate's
-- likes, comments, shares, hides and reports are counted from the index alone.
CREATE INDEX "engagement_events_post_action_idx" ON "engagement_events"("post_id", "occurred_at") INCLUDE ("type", "actor_id") WHERE "type" IN ('LIKE', 'COMMENT', 'SHARE', 'HIDE', 'REPORT');

-- Not expressible in Prisma: a partial index over profile views by the profile viewed (the
-- general target index also holds every event on the user's posts).
CREATE INDEX "engagement_events_profile_view_target_idx" ON "engagement_events"("target_user_id", "occurred_at") INCLUDE ("actor_id") WHERE "type" = 'PROFILE_VIEW';
