import type { Database } from "@feed-jobs/db";

/** Repository functions for scheduler_ticks: one row per claimed cron tick. */

/**
 * Claims the tick `key` for `owner`. The key is the primary key, so of any number of
 * schedulers claiming the same tick exactly one gets true.
 */
export async function claimTick(
  db: Database,
  key: string,
  owner: string,
  now: Date,
): Promise<boolean> {
  const claimed = await db.prisma.$queryRaw<{ key: string }[]>`
    INSERT INTO scheduler_ticks (key, claimed_by, claimed_at)
    VALUES (${key}, ${owner}, ${now}::timestamp(3))
    ON CONFLICT (key) DO NOTHING
    RETURNING key`;
  return claimed.length === 1;
}

/** Records that the claimed tick's task finished (whatever the run's outcome). */
export async function completeTick(db: Database, key: string, now: Date): Promise<void> {
  await db.prisma.schedulerTick.updateMany({ where: { key }, data: { completedAt: now } });
}
