import type { Database, Prisma } from "@feed-jobs/db";
import type { Quantiles } from "./distribution.ts";
import type { Distribution } from "./table-queries.ts";

/** Repository functions for score_snapshots: distributions recorded right after runs. */

export interface Snapshot {
  runId: string;
  takenAt: Date;
  rows: number;
  quantiles: Quantiles;
}

export async function insertSnapshot(
  db: Database,
  snapshot: { runId: string; jobName: string; tableName: string; takenAt: Date } & Distribution,
): Promise<void> {
  await db.prisma.scoreSnapshot.upsert({
    where: { runId: snapshot.runId },
    create: { ...snapshot, quantiles: snapshot.quantiles as unknown as Prisma.InputJsonValue },
    update: {},
  });
}

/**
 * The snapshot to compare the live distribution with: the newest one of a run other than the
 * job's latest successful whole-table run (whose result the live distribution already is;
 * event runs rescore one item and do not count).
 */
export async function previousSnapshot(db: Database, jobName: string): Promise<Snapshot | null> {
  const latest = await db.prisma.jobRun.findFirst({
    where: { jobName, status: "SUCCESS", trigger: { not: "EVENT" } },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
  const row = await db.prisma.scoreSnapshot.findFirst({
    where: { jobName, ...(latest ? { runId: { not: latest.id } } : {}) },
    orderBy: { takenAt: "desc" },
  });
  if (!row) return null;
  return {
    runId: row.runId,
    takenAt: row.takenAt,
    rows: row.rows,
    quantiles: row.quantiles as unknown as Quantiles,
  };
}
