import type { Database } from "@feed-jobs/db";
import { addToRebuild, replaceLists, type Stamp, type ViewerList } from "./write-queries.ts";

/** Far above a batch's write time: a slow run is flagged by the runner, not rolled back. */
const WRITE_TRANSACTION_TIMEOUT_MS = 120_000;

/** Where a run's lists go, batch by batch. */
export interface ListWriter {
  /** Starts writing a batch, once the previous batch's write is done. */
  write(lists: ViewerList[]): Promise<void>;
  /** Waits for the last write. */
  finish(): Promise<void>;
  /** After a failure: lets the pending write end. */
  abandon(): Promise<void>;
}

/**
 * A shard of a full run adds its lists to the rebuild copies (`addToRebuild`; the runner
 * starts the rebuild and swaps the copies in); other runs replace their viewers' lists in
 * place, a batch per transaction. On a server one batch is written while the job scores the
 * next (two processes, two cores); the embedded database runs in this thread, where that
 * gains nothing.
 */
export function openListWriter(
  db: Database,
  stamp: Stamp,
  options: { into: "copies" | "tables"; written: (rows: number) => void },
): ListWriter {
  const writeBatch = async (lists: ViewerList[]) => {
    const written =
      options.into === "copies"
        ? await addToRebuild(db, lists, stamp)
        : await db.prisma.$transaction(
            (tx) => replaceLists(tx, lists, stamp, db.kind === "embedded"),
            { timeout: WRITE_TRANSACTION_TIMEOUT_MS },
          );
    options.written(written.deleted + written.inserted + written.viewers);
  };
  const overlap = db.kind !== "embedded";
  let pending: Promise<void> | undefined;
  return {
    async write(lists) {
      await pending;
      pending = undefined;
      if (lists.length === 0) return;
      pending = writeBatch(lists);
      // A failure surfaces where it is awaited (the next batch or the end), not as unhandled.
      pending.catch(() => undefined);
      if (!overlap) await pending;
    },
    async finish() {
      await pending;
    },
    async abandon() {
      await pending?.catch(() => undefined);
    },
  };
}
