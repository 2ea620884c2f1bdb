import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { copyStatement, copyText } from "./copy-rows.ts";
import type { Database, ScriptTransaction } from "./database.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { lockDataDir } from "./pid-lock.ts";

/**
 * Opens the embedded database (PGlite with pgvector) kept in `dataDir`, or in memory when
 * `dataDir` is undefined (tests). PGlite is one connection in one process: a folder is
 * locked to the process that opened it, and locks between jobs are kept in-process.
 */
export async function openEmbedded(dataDir?: string): Promise<Database> {
  let releaseDir: (() => void) | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    releaseDir = await lockDataDir(dataDir);
  }
  try {
    return wrapPglite(await createPglite(dataDir), dataDir ?? "memory", releaseDir);
  } catch (error) {
    releaseDir?.();
    throw error;
  }
}

/** A PGlite instance with pgvector loaded and enabled, empty or from a dump (`dumpDataDir`). */
export async function createPglite(dataDir?: string, loadDataDir?: Blob): Promise<PGlite> {
  const pglite = await PGlite.create(dataDir ?? "memory://", {
    extensions: { vector },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  await pglite.exec("CREATE EXTENSION IF NOT EXISTS vector");
  return pglite;
}

/** Wraps an open PGlite (for example a clone of a migrated template) as a Database. */
export function wrapPglite(pglite: PGlite, location: string, onClose?: () => void): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const held = new Set<string>();
  return {
    kind: "embedded",
    prisma,
    location: `embedded database (${location})`,
    hasVector: async () => true,
    async scriptTransaction(fn) {
      return pglite.transaction(async (t) => {
        const tx: ScriptTransaction = {
          exec: async (sql) => void (await t.exec(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await t.query<T>(sql, params)).rows,
        };
        return fn(tx);
      });
    },
    async executeSql(text, values) {
      if (values && values.length > 0)
        return { rows: (await pglite.query<Record<string, unknown>>(text, values)).rows };
      const results = await pglite.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    async copyRows(target, rows) {
      const blob = new Blob([copyText(rows)]);
      const result = await pglite.query(copyStatement(target, "'/dev/blob'"), [], { blob });
      return result.affectedRows ?? 0;
    },
    async tryLock(key) {
      if (held.has(key)) return null;
      held.add(key);
      return { release: async () => void held.delete(key), lost: undefined };
    },
    isLockHeld: async (key) => held.has(key),
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
      onClose?.();
    },
  };
}
