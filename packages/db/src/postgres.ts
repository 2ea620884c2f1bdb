import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Database, ScriptTransaction, Unlock } from "./database.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

/** Opens PostgreSQL at `url` through @prisma/adapter-pg, on a pool this module owns. */
export function openPostgres(url: string, options: { poolSize?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 6,
    // Prisma writes timestamp(3) columns as UTC; keep raw SQL in the same zone.
    options: "-c timezone=UTC",
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on("error", (error) => process.emitWarning(`PostgreSQL pool: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let vector: boolean | undefined;

  return {
    kind: "postgres",
    prisma,
    location: redact(url),
    async hasVector() {
      if (vector === undefined) {
        const { rows } = await pool.query(
          "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS present",
        );
        vector = rows[0]?.present === true;
      }
      return vector;
    },
    async scriptTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: ScriptTransaction = {
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params as unknown[])).rows as T[],
        };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async tryLock(key) {
      // Session advisory locks belong to one connection: hold a dedicated one until unlock,
      // so a crashed process frees the lock the moment its connection drops.
      const client = await pool.connect();
      try {
        const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [
          `feed-jobs:${key}`,
        ]);
        if (rows[0]?.locked !== true) {
          client.release();
          return null;
        }
      } catch (error) {
        client.release();
        throw error;
      }
      const unlock: Unlock = async () => {
        try {
          await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`feed-jobs:${key}`]);
        } finally {
          client.release();
        }
      };
      return unlock;
    },
    async isLockHeld(key) {
      // pg_locks shows a bigint advisory key as its high and low 32 bits (classid, objid).
      const { rows } = await pool.query(
        `SELECT EXISTS (
           SELECT 1 FROM pg_locks
           WHERE locktype = 'advisory' AND objsubid = 1 AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND classid = ((hashtext($1)::bigint >> 32) & 4294967295)::oid
             AND objid = (hashtext($1)::bigint & 4294967295)::oid) AS held`,
        [`feed-jobs:${key}`],
      );
      return rows[0]?.held === true;
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres (unparseable DATABASE_URL)";
  }
}
