import type { Database, JobRequestStatus } from "@feed-jobs/db";
import type { JobRequest } from "./claim.ts";

export interface RequestFilter {
  status?: JobRequestStatus;
  job?: string;
  /** Default: 20. */
  limit?: number;
}

/** Requests, newest first. */
export async function listRequests(
  db: Database,
  filter: RequestFilter = {},
): Promise<JobRequest[]> {
  return db.prisma.jobRequest.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.job ? { jobName: filter.job } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit ?? 20,
  });
}

/** Requests whose id starts with `prefix` (at most two: enough to tell unique from ambiguous). */
export async function findRequestsByIdPrefix(db: Database, prefix: string): Promise<JobRequest[]> {
  return db.prisma.jobRequest.findMany({ where: { id: { startsWith: prefix } }, take: 2 });
}

/** Requests waiting to run (PENDING or RETRY): the queue depth the alerts watch. */
export async function queueDepth(db: Database): Promise<number> {
  return db.prisma.jobRequest.count({ where: { status: { in: ["PENDING", "RETRY"] } } });
}

/** How many requests are in each status. */
export async function requestCounts(db: Database): Promise<Record<JobRequestStatus, number>> {
  const groups = await db.prisma.jobRequest.groupBy({ by: ["status"], _count: { _all: true } });
  const counts: Record<JobRequestStatus, number> = {
    PENDING: 0,
    RUNNING: 0,
    RETRY: 0,
    DONE: 0,
    FAILED: 0,
  };
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}
