import { randomUUID } from "node:crypto";
import type { Database, Prisma } from "@feed-jobs/db";

/** Repository functions for operator_actions: the audit trail of the admin token's use. */

export type ActionName = "pause" | "resume" | "cancel" | "retry" | "run";

export interface OperatorAction {
  at: Date;
  /** Who: the name given at login or in X-Operator. */
  actor: string;
  via: "cookie" | "header";
  address: string | null;
  action: ActionName;
  /** The job name, run id or request id. */
  target: string;
  detail: Record<string, unknown> | null;
  /** "done", or why it was refused. */
  outcome: string;
  runId: string | null;
}

export async function recordAction(db: Database, action: OperatorAction): Promise<void> {
  await db.prisma.operatorAction.create({
    data: {
      ...action,
      id: randomUUID(),
      detail: (action.detail ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}

/** The newest actions, newest first; of one run when `runId` is given. */
export async function recentActions(db: Database, limit: number, runId?: string) {
  return db.prisma.operatorAction.findMany({
    where: runId ? { runId } : {},
    orderBy: { at: "desc" },
    take: limit,
  });
}
