import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, createTestDataDir, type TestDatabase } from "@feed-jobs/db/testing";
import type { CliIO } from "../../src/cli/io.ts";
import { main } from "../../src/cli/program.ts";

/** Runs the CLI in-process, as `pnpm job …` would, and captures what it prints. */
export async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false };
  const code = await main(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * Points the CLI at a database of this test file's own: a fresh PostgreSQL database when
 * TEST_DATABASE_URL is set, otherwise a new embedded folder holding the migrated template (the
 * CLI opens it itself, so the test must not hold it open while the CLI runs). Returns the
 * server database to close, if any.
 */
export async function useCliDatabase(prefix: string): Promise<TestDatabase | undefined> {
  if (process.env.TEST_DATABASE_URL) {
    const server = await createTestDatabase();
    process.env.DATABASE_URL = server.url;
    return server;
  }
  delete process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), `feed-jobs-${prefix}-`));
  await createTestDataDir(dir);
  process.env.FEED_JOBS_DATA_DIR = dir;
  return undefined;
}
