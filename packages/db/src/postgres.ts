import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyStatement, copyText } from "./copy-rows.ts";
import type { Database, HeldLock, ScriptTransaction } from "./database.ts";
import { asUnavailable, DatabaseUnavailable } from "./errors.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { answerTimeoutMs, databaseTimeouts } from "./timeouts.ts";

/** The longest timeout Node's timers keep (about 24.8 days); a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Opens PostgreSQL at `url` through @prisma/adapter-pg, on a pool this module owns. Every
 * connection has the connect, statement and lock timeouts of the environment (README "Timeouts"),
 * TCP keepalive, and an error listener: a lost connection fails what was running on it, never
 * the process.
 */
export function openPostgres(url: string, options: { poolSize?: number } = {}): Database {
  const location = redact(url);
  const timeouts = databaseTimeouts();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 6,
    // Prisma writes timestamp(3) columns as UTC; keep raw SQL in the same zone. No JIT: the
    // jobs' queries are batch reads of thousands of rows, whose cost estimates crossed JIT's
    // threshold, and compiling one took ~40 ms of a 140 ms batch read (compatibility, 100k users).
    options: `-c timezone=UTC -c jit=off -c statement_timeout=${timeouts.statementMs} -c lock_timeout=${timeouts.lockMs}`,
    // A stopped server never answers, so the server's statement timeout alone cannot end a wait.
    query_timeout: answerTimeoutMs(timeouts.statementMs),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // On the connection only: the pool's own option would also time out waiting for a free one.
    Client: class extends pg.Client {
      constructor(config?: pg.ClientConfig) {
        super({ ...config, connectionTimeoutMillis: timeouts.connectMs });
      }
    },
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on("error", (error) => process.emitWarning(`PostgreSQL pool: ${error.message}`));
  // A connection in use reports its loss to whoever is using it (the failing query, the lock).
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
    dropWhenUnanswered(client);
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let vector: boolean | undefined;

  return {
    kind: "postgres",
    prisma,
    location,
    async hasVector() {
      if (vector === undefined) {
        const { rows } = await pool.query(
          "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS present",
        );
        vector = rows[0]?.present === true;
      }
      return vector;
    },
    async scriptTransaction(fn, options = {}) {
      const client = await pool.connect();
      // pg reads a per-query query_timeout (its types omit it); undefined or 0 mean the pool's.
      const query_timeout = options.untimed ? LONGEST_TIMER_MS : undefined;
      const run = (text: string, values?: unknown[]) =>
        client.query({ text, values, query_timeout } as pg.QueryConfig);
      try {
        await client.query("BEGIN");
        if (options.untimed) await client.query("SET LOCAL statement_timeout = 0");
        const tx: ScriptTransaction = {
          exec: async (sql) => void (await run(sql)),
          query: async <T>(sql: string, params?: unknown[]) => (await run(sql, params)).rows as T[],
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
    async executeSql(text, values) {
      const result: pg.QueryResult | pg.QueryResult[] = await pool.query(
        text,
        values && values.length > 0 ? values : undefined,
      );
      // A script answers with one result per statement: its last one, as PGlite's exec gives.
      return { rows: (Array.isArray(result) ? result.at(-1)?.rows : result.rows) ?? [] };
    },
    async copyRows(target, rows) {
      const client = await pool.connect();
      try {
        const copy = client.query(copyFrom(copyStatement(target, "STDIN")));
        await pipeline(Readable.from([copyText(rows)]), copy);
        client.release();
        return copy.rowCount;
      } catch (error) {
        // A COPY cut short leaves the connection mid-protocol: it is closed, not reused.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    async tryLock(key) {
      // Session advisory locks belong to one connection: hold a dedicated one until release,
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
        client.release(error as Error);
        throw asUnavailable(error, location) ?? error;
      }
      return holdLock(client, key, location);
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

/**
 * The lock held on `client` until released. When the connection is lost (the server stopped,
 * the network dropped) the server has freed the lock: `lost` says why, and release only gives
 * the connection up.
 */
function holdLock(client: pg.PoolClient, key: string, location: string): HeldLock {
  let lost: Error | undefined;
  const onLost = (error?: Error) => {
    lost ??= new DatabaseUnavailable(
      `${location}: lost the connection holding the lock "${key}"${error ? ` (${error.message})` : ""}`,
      { cause: error },
    );
  };
  client.on("error", onLost);
  client.on("end", onLost);
  return {
    get lost() {
      return lost;
    },
    async release() {
      client.off("error", onLost);
      client.off("end", onLost);
      if (lost) return client.release(lost);
      try {
        await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`feed-jobs:${key}`]);
        client.release();
      } catch (error) {
        // The connection is gone, and the server freed the lock with it.
        client.release(error as Error);
      }
    },
  };
}

/**
 * Makes `client` give its connection up when a query gets no answer in time (pg's
 * query_timeout): the server may still be running it, or be frozen, and a connection reused
 * mid-query or mid-transaction would mix work. The pool opens a new one.
 */
function dropWhenUnanswered(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const drop = (error: unknown) => {
    if (error instanceof Error && error.message === "Query read timeout") {
      (
        client as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
    }
  };
  client.query = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        drop(error);
        callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(drop);
    return result;
  }) as typeof client.query;
}

/** The URL without its password, for messages; refuses what is not a PostgreSQL URL. */
function redact(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUnavailable(
      "DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database).",
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseUnavailable(
      `DATABASE_URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//).`,
    );
  }
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
