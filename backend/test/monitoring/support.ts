import type { Database, JobStatus, JobTrigger, Prisma } from "@feed-jobs/db";

let next = 0;

export interface RunFixture {
  jobName: string;
  status: JobStatus;
  trigger?: JobTrigger;
  startedAt: Date;
  /** Default: 100 ms. */
  duration?: number;
  itemsProcessed?: number;
  itemsFailed?: number;
  overBudget?: boolean;
  error?: string;
  scope?: Record<string, unknown>;
  /** Added to `{ overBudget }`. */
  metadata?: Record<string, unknown>;
}

/** Inserts a finished (or RUNNING) JobRun row as the runner would have left it. */
export async function insertRun(db: Database, run: RunFixture): Promise<string> {
  next += 1;
  const id = `run-${String(next).padStart(4, "0")}`;
  const duration = run.status === "RUNNING" ? null : (run.duration ?? 100);
  await db.prisma.jobRun.create({
    data: {
      id,
      jobName: run.jobName,
      status: run.status,
      trigger: run.trigger ?? "CRON",
      startedAt: run.startedAt,
      completedAt: duration === null ? null : new Date(run.startedAt.getTime() + duration),
      duration,
      itemsProcessed: run.itemsProcessed ?? 10,
      itemsFailed: run.itemsFailed ?? 0,
      metadata: { overBudget: run.overBudget ?? false, ...run.metadata } as Prisma.InputJsonValue,
      scope: run.scope as Prisma.InputJsonValue | undefined,
      error: run.error ?? null,
    },
  });
  return id;
}

export const hoursBefore = (now: Date, hours: number) =>
  new Date(now.getTime() - hours * 3_600_000);
