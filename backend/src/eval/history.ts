import type { Database } from "@feed-jobs/db";

/** When the database's recorded activity (posts, engagement, messages) begins and ends. */
export interface ActivitySpan {
  readonly first: Date;
  readonly last: Date;
}

/** The span of recorded activity, or null when nothing has happened yet. */
export async function activitySpan(db: Database): Promise<ActivitySpan | null> {
  const [row] = await db.prisma.$queryRaw<{ first: Date | null; last: Date | null }[]>`
    SELECT min(first) AS first, max(last) AS last FROM (
      SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM engagement_events
      UNION ALL SELECT min(sent_at), max(sent_at) FROM messages
      UNION ALL SELECT min(created_at), max(created_at) FROM posts
    ) spans`;
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}
