import { abandonRebuild, type Database, finishRebuild, startRebuild } from "@feed-jobs/db";
import {
  addToRebuild,
  MATCH_TABLES,
  replaceLists,
  type Stamp,
  type ViewerList,
} from "./write-queries.ts";

/** Far above a batch's write time: a slow run is flagged by the runner, not rolled back. */
const WRITE_TRANSACTION_TIMEOUT_MS = 120_000;
/** Per attempt of the swap (which waits for its locks briefly, then retries) and of a key. */
const SWAP_TIMEOUT_MS = 300_000;

/** Where a run's lists go, batch by batch. */
export interface ListWriter {
  /** Starts writing a batch, once the previous batch's write is done. */
  write(lists: ViewerList[]): Promise<void>;
  /** Waits for the last write and, for a rebuild, swaps the new tables in. */
  finish(): Promise<void>;
  /** After a failure: lets the pending write end and drops a rebuild's copies. */
  abandon(): Promise<void>;
}

/**
 * A full run rebuilds the tables (every list goes into empty copies, swapped in at the end;
 * see `startRebuild`); other runs replace their viewers' lists in place, a batch per
 * transaction. On a server one batch is written while the job scores the next (two
 * processes, two cores); the embedded database runs in this thread, where that gains nothing.
 */
export async function openListWriter(
  db: Database,
  stamp: Stamp,
  options: { rebuild: boolean; written: (rows: number) => void; log: (message: string) => void },
): Promise<ListWriter> {
  if (options.rebuild) await startRebuild(db.prisma, MATCH_TABLES);
  const writeBatch = async (lists: ViewerList[]) => {
    const written = options.rebuild
      ? await addToRebuild(db.prisma, lists, stamp)
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
      if (options.rebuild) {
        await finishRebuild(db.prisma, MATCH_TABLES, {
          timeoutMs: SWAP_TIMEOUT_MS,
          log: options.log,
        });
      }
    },
    async abandon() {
      await pending?.catch(() => undefined);
      if (options.rebuild) await abandonRebuild(db.prisma, MATCH_TABLES);
    },
  };
}
