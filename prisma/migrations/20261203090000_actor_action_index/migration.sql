-- compatibility: each user's topic profile counts their likes, comments and shares by the topics
-- of the posts acted on. Not expressible in Prisma: a partial, covering index over those actions
-- by actor, so that a batch of users' actions is read from the index alone. Without it the
-- planner walked the whole post-action index for every batch (0.5 s per 1,300 users at 10M events).
CREATE INDEX "engagement_events_actor_action_idx" ON "engagement_events"("actor_id", "occurred_at") INCLUDE ("post_id", "type") WHERE "type" IN ('LIKE', 'COMMENT', 'SHARE');
