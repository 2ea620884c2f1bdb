import type { Database } from "@feed-jobs/db";

/** The post or user a run is scoped to (`--post-id`, `--user-id`, an event request's scope). */
export interface ScopeTargets {
  postId?: string | undefined;
  userId?: string | undefined;
}

/**
 * Why a run scoped to `scope` cannot run: the post or user it names does not exist (e.g.
 * `post "p9" does not exist`); null when every id it names exists. The CLI refuses such an id
 * with exit 2, and the event worker fails such a request at once, without retries.
 */
export async function missingScopeTarget(
  db: Database,
  scope: ScopeTargets,
): Promise<string | null> {
  const { postId, userId } = scope;
  if (postId !== undefined) {
    const post = await db.prisma.post.findUnique({ where: { id: postId }, select: { id: true } });
    if (!post) return `post "${postId}" does not exist`;
  }
  if (userId !== undefined) {
    const user = await db.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) return `user "${userId}" does not exist`;
  }
  return null;
}
