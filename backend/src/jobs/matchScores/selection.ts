import type { MatchScoresConfig } from "./config.ts";
import { moveKm } from "./config.ts";
import {
  type StaleReason,
  staleViewers,
  viewersHoldingChangedCandidates,
  viewersWithNewNegativeSignals,
} from "./incremental-queries.ts";
import { eligibleViewerIds, type Sql, userExists } from "./queries.ts";
import type { Clock } from "./sql.ts";

const MS_PER_HOUR = 3_600_000;

export type SelectionReason = StaleReason | "candidate_changed" | "negative_signal";

export interface Selection {
  /** Viewers to recompute, in a stable order (by id). */
  readonly viewerIds: string[];
  /** Incremental runs: why viewers were picked (a viewer counts under its first reason). */
  readonly reasons?: Partial<Record<SelectionReason, number>>;
  readonly changedCandidates?: number;
}

/** A run's scope: a mode, or one user (`--user-id`). */
export type Scope = { mode: "full" | "incremental" } | { mode: "user"; userId: string };

/**
 * Which viewers a run recomputes. full: every eligible viewer. user: that one viewer (none if
 * not eligible; an unknown id is an error). incremental: see {@link staleViewers},
 * {@link viewersHoldingChangedCandidates} and {@link viewersWithNewNegativeSignals}.
 */
export async function selectViewers(
  db: Sql,
  clock: Clock,
  config: MatchScoresConfig,
  algorithmVersion: string,
  scope: Scope,
): Promise<Selection> {
  if (scope.mode === "user") {
    const { userId } = scope;
    if (!(await userExists(db, userId))) throw new Error(`no user with id "${userId}"`);
    return { viewerIds: await eligibleViewerIds(db, clock, userId) };
  }
  if (scope.mode === "full") return { viewerIds: await eligibleViewerIds(db, clock) };

  const staleness = {
    algorithmVersion,
    expiredBefore: new Date(clock.now.getTime() - config.ttlHours * MS_PER_HOUR),
    moveKm: moveKm(config),
    inactiveAfterDays: config.inactiveAfterDays,
  };
  const picked = new Map<string, SelectionReason>();
  for (const row of await staleViewers(db, clock, staleness)) picked.set(row.id, row.reason);
  const holders = await viewersHoldingChangedCandidates(db, clock, staleness);
  for (const id of holders.viewerIds) if (!picked.has(id)) picked.set(id, "candidate_changed");
  for (const id of await viewersWithNewNegativeSignals(db, clock)) {
    if (!picked.has(id)) picked.set(id, "negative_signal");
  }
  const reasons: Partial<Record<SelectionReason, number>> = {};
  for (const reason of picked.values()) reasons[reason] = (reasons[reason] ?? 0) + 1;
  return {
    viewerIds: [...picked.keys()].sort(),
    reasons,
    changedCandidates: holders.changedCandidates,
  };
}
