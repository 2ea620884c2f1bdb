import type { JobContext } from "./definition.ts";

/** How many failed items a run or shard keeps with their errors (the rest are only counted). */
export const FAILURE_SAMPLE_SIZE = 10;

export interface FailureSample {
  item: string;
  error: string;
}

/** The counting part of a {@link JobContext}: what a run or a shard reports as it goes. */
export type CountingMethods = Pick<
  JobContext<unknown>,
  "setTotal" | "processed" | "failed" | "excluded" | "scanned" | "written" | "note"
>;

/** What one run or one shard counted: a run's own work, or a shard's, summed into its run. */
export class Counters {
  done = 0;
  failed = 0;
  total: number | undefined;
  rowsScanned = 0;
  rowsWritten = 0;
  readonly notes: Record<string, unknown> = {};
  readonly excluded: Record<string, number> = {};
  readonly failureSamples: FailureSample[] = [];

  /** @param changed told after every change of progress (done, failed, total). */
  constructor(private readonly changed: () => void = () => undefined) {}

  /** The context methods that count into these counters. */
  methods(): CountingMethods {
    return {
      setTotal: (items) => {
        this.total = items;
        this.changed();
      },
      processed: (items = 1) => {
        this.done += items;
        this.changed();
      },
      failed: (itemId, error) => {
        this.failed += 1;
        this.addSamples([
          { item: itemId, error: error instanceof Error ? error.message : String(error) },
        ]);
        this.changed();
      },
      excluded: (reason, count = 1) => this.addExcluded({ [reason]: count }),
      scanned: (rows) => {
        this.rowsScanned += rows;
      },
      written: (rows) => {
        this.rowsWritten += rows;
      },
      note: (key, value) => {
        this.notes[key] = value;
      },
    };
  }

  /** Keeps failure samples up to {@link FAILURE_SAMPLE_SIZE}. */
  addSamples(samples: readonly FailureSample[]): void {
    for (const sample of samples) {
      if (this.failureSamples.length >= FAILURE_SAMPLE_SIZE) return;
      this.failureSamples.push(sample);
    }
  }

  addExcluded(counts: Readonly<Record<string, number>>): void {
    for (const [reason, count] of Object.entries(counts)) {
      if (count > 0) this.excluded[reason] = (this.excluded[reason] ?? 0) + count;
    }
  }

  failureShare(): number {
    const attempted = this.done + this.failed;
    return attempted === 0 ? 0 : this.failed / attempted;
  }
}
