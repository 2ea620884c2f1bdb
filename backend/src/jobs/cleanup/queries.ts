import { type Database, Prisma } from "@feed-jobs/db";

/** One kind of row the cleanup removes: a table and the condition its expired rows meet. */
export interface Expiry {
  /** Shown in the run's metadata and result, e.g. "job_runs". */
  readonly label: string;
  readonly table: string;
  readonly where: Prisma.Sql;
}

export interface Cutoffs {
  now: Date;
  /** JobRun records started before this go (pg-boss archives and deletes finished requests). */
  retention: Date;
  /** Operator actions taken before this go (never before `retention`: see the job's config). */
  audit: Date;
  /** Scheduler tick claims before this go. */
  ticks: Date;
}

/** Everything the weekly cleanup removes, in order. Score snapshots go with their JobRun. */
export function expiries(cut: Cutoffs): Expiry[] {
  const retention = Prisma.sql`${cut.retention}::timestamp(3)`;
  // Deleted by the run's clock: a deletion time after it (scheduled, or a bad row) is not yet one.
  const deletedBy = Prisma.sql`deleted_at <= ${cut.now}::timestamp(3)`;
  const deletedUsers = Prisma.sql`SELECT id FROM users WHERE ${deletedBy}`;
  const deletedPosts = Prisma.sql`SELECT id FROM posts WHERE ${deletedBy}`;
  return [
    {
      label: "job_runs",
      table: "job_runs",
      where: Prisma.sql`status <> 'RUNNING' AND started_at < ${retention}`,
    },
    {
      label: "operator_actions",
      table: "operator_actions",
      where: Prisma.sql`at < ${cut.audit}::timestamp(3)`,
    },
    {
      label: "scheduler_ticks",
      table: "scheduler_ticks",
      where: Prisma.sql`claimed_at < ${cut.ticks}::timestamp(3)`,
    },
    {
      label: "trending_scores (expired)",
      table: "trending_scores",
      where: Prisma.sql`expires_at < ${cut.now}::timestamp(3)`,
    },
    {
      label: "trending_scores (deleted posts)",
      table: "trending_scores",
      where: Prisma.sql`post_id IN (${deletedPosts})`,
    },
    {
      label: "post_features (deleted posts)",
      table: "post_features",
      where: Prisma.sql`post_id IN (${deletedPosts})`,
    },
    {
      label: "match_scores (deleted users)",
      table: "match_scores",
      where: Prisma.sql`viewer_user_id IN (${deletedUsers}) OR candidate_user_id IN (${deletedUsers})`,
    },
    {
      label: "user_compatibility (deleted users)",
      table: "user_compatibility",
      where: Prisma.sql`viewer_user_id IN (${deletedUsers}) OR target_user_id IN (${deletedUsers})`,
    },
    {
      label: "user_affinity_profiles (deleted users)",
      table: "user_affinity_profiles",
      where: Prisma.sql`user_id IN (${deletedUsers})`,
    },
  ];
}

/** How many rows `expiry` would remove (dry runs). */
export async function countExpired(db: Database, expiry: Expiry): Promise<number> {
  const rows = await db.prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM ${Prisma.raw(`"${expiry.table}"`)} WHERE ${expiry.where}`;
  return rows[0]?.n ?? 0;
}

/** Removes up to `limit` expired rows; returns how many went. By ctid: any key shape works. */
export async function deleteExpiredBatch(
  db: Database,
  expiry: Expiry,
  limit: number,
): Promise<number> {
  const table = Prisma.raw(`"${expiry.table}"`);
  return db.prisma.$executeRaw`
    DELETE FROM ${table}
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${expiry.where} LIMIT ${limit}))`;
}

/** Jobs that ran since `since`: the ones whose days are aggregated. */
export async function jobsRunSince(db: Database, since: Date): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT job_name AS name FROM job_runs WHERE started_at >= ${since}::timestamp(3)
    ORDER BY 1`;
  return rows.map((row) => row.name);
}
