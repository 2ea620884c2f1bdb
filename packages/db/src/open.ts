import { resolve } from "node:path";
import type { Database } from "./database.ts";
import { openEmbedded } from "./embedded.ts";
import { openPostgres } from "./postgres.ts";

/** Where the embedded database lives unless FEED_JOBS_DATA_DIR says otherwise (git-ignored). */
export const defaultDataDir = (root = process.cwd()) =>
  resolve(root, process.env.FEED_JOBS_DATA_DIR ?? ".data/pglite");

/**
 * The one factory: DATABASE_URL set → PostgreSQL through @prisma/adapter-pg;
 * unset → the embedded PGlite database in a local folder.
 */
export async function openDatabase(
  env: { DATABASE_URL?: string | undefined } = process.env,
  dataDir = defaultDataDir(),
): Promise<Database> {
  const url = env.DATABASE_URL?.trim();
  return url ? openPostgres(url) : openEmbedded(dataDir);
}
