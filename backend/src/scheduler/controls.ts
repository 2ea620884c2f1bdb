import type { Database } from "@feed-jobs/db";

/** Repository functions for job_controls: pause and resume, kept in the database. */

export interface Pause {
  jobName: string;
  pausedAt: Date;
  pausedBy: string | null;
  reason: string | null;
}

/** Pauses `jobName` (again: the newest pause wins). */
export async function pauseJob(db: Database, pause: Pause): Promise<void> {
  await db.prisma.jobControl.upsert({
    where: { jobName: pause.jobName },
    create: pause,
    update: pause,
  });
}

/** Resumes `jobName`; false when it was not paused. */
export async function resumeJob(db: Database, jobName: string): Promise<boolean> {
  const { count } = await db.prisma.jobControl.deleteMany({ where: { jobName } });
  return count === 1;
}

export async function pausedJobs(db: Database): Promise<Pause[]> {
  return db.prisma.jobControl.findMany({ orderBy: { jobName: "asc" } });
}

export async function isPaused(db: Database, jobName: string): Promise<boolean> {
  return (await db.prisma.jobControl.count({ where: { jobName } })) > 0;
}
