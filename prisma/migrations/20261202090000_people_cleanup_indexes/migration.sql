-- Every compatibility run removes the rows of ineligible people as viewer or as target, and the
-- weekly cleanup those of deleted users: a target's rows are found by this index, not a scan.
-- CreateIndex
CREATE INDEX "user_compatibility_target_user_id_idx" ON "user_compatibility"("target_user_id");

-- Every content-features run and the weekly cleanup remove the features of soft-deleted posts:
-- the few deleted posts are found by this index, not by reading every post.
-- CreateIndex
CREATE INDEX "posts_deleted_at_idx" ON "posts"("deleted_at");
