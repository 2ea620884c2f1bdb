import { hostname } from "node:os";
import type { Counters, FailureSample } from "../counters.ts";
import type { ShardOutcome } from "../definition.ts";
import type { ShardRow } from "./store.ts";

/** What one shard counted and where it ran: from its row, or (a dry run) its counters. */
export interface ShardTally {
  index: number;
  host: string | null;
  pid: number | null;
  attempts: number;
  startedAt: Date | null;
  durationMs: number | null;
  items: number;
  failed: number;
  failures: readonly FailureSample[];
  excluded: Readonly<Record<string, number>>;
  rowsScanned: number;
  rowsWritten: number;
  notes: Readonly<Record<string, unknown>>;
}

export function tallyOfRow(row: ShardRow): ShardTally {
  return {
    index: row.shardIndex,
    host: row.host,
    pid: row.pid,
    attempts: row.attempt,
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    items: row.itemsProcessed,
    failed: row.itemsFailed,
    failures: (row.failures ?? []) as unknown as FailureSample[],
    excluded: (row.excluded ?? {}) as Record<string, number>,
    rowsScanned: Number(row.rowsScanned),
    rowsWritten: Number(row.rowsWritten),
    notes: (row.notes ?? {}) as Record<string, unknown>,
  };
}

/** A shard that ran in this process without a row (a dry run). */
export function tallyOfCounters(
  index: number,
  counters: Counters,
  startedAt: Date,
  durationMs: number,
): ShardTally {
  return {
    index,
    host: hostname(),
    pid: process.pid,
    attempts: 1,
    startedAt,
    durationMs,
    items: counters.done,
    failed: counters.failed,
    failures: counters.failureSamples,
    excluded: counters.excluded,
    rowsScanned: counters.rowsScanned,
    rowsWritten: counters.rowsWritten,
    notes: counters.notes,
  };
}

/**
 * Adds the shards' failures, exclusions, rows and notes to their run's counters (their items
 * done reached it already as progress, see {@link ProgressRelay}), with one `shards` note
 * saying where and how long each ran. Notes: numbers summed, anything else the last shard's.
 */
export function absorbShards(run: Counters, tallies: readonly ShardTally[]): ShardOutcome {
  const notes: Record<string, unknown> = {};
  for (const tally of tallies) {
    run.failed += tally.failed;
    run.addSamples(tally.failures);
    run.addExcluded(tally.excluded);
    run.rowsScanned += tally.rowsScanned;
    run.rowsWritten += tally.rowsWritten;
    for (const [key, value] of Object.entries(tally.notes)) {
      const sum = notes[key];
      notes[key] =
        typeof value === "number" && (sum === undefined || typeof sum === "number")
          ? (sum ?? 0) + value
          : value;
    }
  }
  Object.assign(run.notes, notes);
  run.notes.shards = tallies.map((tally) => ({
    index: tally.index,
    host: tally.host,
    pid: tally.pid,
    attempts: tally.attempts,
    startedAt: tally.startedAt?.toISOString() ?? null,
    durationMs: tally.durationMs,
    items: tally.items,
    failed: tally.failed,
    rowsWritten: tally.rowsWritten,
  }));
  return { shards: tallies.length, notes };
}

/**
 * Passes the shards' items done on to their run's progress as they change: a retried shard
 * starts again from 0, so a change may be negative.
 */
export class ProgressRelay {
  private readonly reported = new Map<number, number>();

  constructor(private readonly processed: (items: number) => void) {}

  set(index: number, done: number): void {
    const delta = done - (this.reported.get(index) ?? 0);
    if (delta === 0) return;
    this.reported.set(index, done);
    this.processed(delta);
  }
}
