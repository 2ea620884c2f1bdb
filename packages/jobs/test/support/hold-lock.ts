// Child process for overlap.test.ts: runs a job that holds its lock until stdin closes.
// DATABASE_URL set → that PostgreSQL database; otherwise the embedded folder in argv[2].
import { migrate, openDatabase } from "@feed-jobs/db";
import { z } from "zod";
import { defineJob, runJob } from "../../src/index.ts";

const job = defineJob({
  name: "held-job",
  description: "holds its lock until told to finish",
  algorithmVersion: "t1",
  schedules: [],
  config: z.strictObject({}),
  budget: { maxRowsScanned: 1, maxRowsWritten: 1, maxRuntimeMs: 60_000 },
  accepts: [],
  run: async () => {
    process.stdout.write("holding\n");
    await new Promise<void>((resolve) => process.stdin.on("end", resolve).resume());
  },
});

const db = await openDatabase(process.env, process.argv[2]);
try {
  await migrate(db);
  const summary = await runJob(db, job);
  process.stdout.write(`${summary.status}\n`);
} finally {
  await db.close();
}
