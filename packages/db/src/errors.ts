import { answerTimeoutMs, databaseTimeouts, seconds, timeoutVariable } from "./timeouts.ts";

/**
 * The database cannot be used: an invalid DATABASE_URL, a refused or timed-out connection,
 * failed authentication, an unknown database, no answer in time, a lost connection. The
 * message says which and where (never with the password).
 */
export class DatabaseUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DatabaseUnavailable";
  }
}

/** What an error (pg's own, or Prisma's wrapping of it) says, gathered along its causes. */
interface Facts {
  code?: string;
  message: string;
  host?: string;
  port?: number;
}

function* causes(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const next = pending.shift();
    if (typeof next !== "object" || next === null || seen.has(next)) continue;
    seen.add(next);
    const record = next as Record<string, unknown>;
    yield record;
    const meta = record.meta as { driverAdapterError?: { cause?: unknown } } | undefined;
    pending.push(record.cause, meta?.driverAdapterError?.cause);
  }
}

function facts(error: unknown): Facts[] {
  return [...causes(error)].map((c) => ({
    code: typeof c.originalCode === "string" ? c.originalCode : codeOf(c),
    message: String(c.originalMessage ?? c.message ?? ""),
    ...(typeof (c.address ?? c.host) === "string" ? { host: String(c.address ?? c.host) } : {}),
    ...(typeof c.port === "number" ? { port: c.port } : {}),
  }));
}

/** pg's SQLSTATE or Node's errno code; Prisma's own P-codes and adapter kinds say nothing more. */
function codeOf(c: Record<string, unknown>): string | undefined {
  if (typeof c.code === "string" && !/^P\d{4}$/.test(c.code)) return c.code;
  // The adapter keeps the port of a refused connection; a host not found has none.
  if (c.kind === "DatabaseNotReachable") return c.port === undefined ? "ENOTFOUND" : "ECONNREFUSED";
  if (c.kind === "ConnectionClosed") return "ECONNRESET";
  return undefined;
}

const LOST = /Connection terminated|connection error and is not queryable|Client was closed/i;

/** Why `error` means the database cannot be used, in words, or null for any other error. */
function unavailableReason(error: unknown): string | null {
  const timeouts = databaseTimeouts();
  for (const f of facts(error)) {
    const at = f.host ? ` at ${f.host}${f.port ? `:${f.port}` : ""}` : "";
    if (f.code === "ECONNREFUSED") return `connection refused${at} (is the server running?)`;
    if (f.code === "ENOTFOUND" || f.code === "EAI_AGAIN") return `host not found${at}`;
    if (f.code === "28P01") return f.message; // password authentication failed for user "x"
    if (f.code === "28000") return `access denied: ${f.message}`;
    if (f.code === "3D000") return f.message; // database "y" does not exist
    if (f.code === "53300") return `the server refused the connection: ${f.message}`;
    if (f.code === "57P03") return `the server is not accepting connections: ${f.message}`;
    if (/timeout expired|due to connection timeout/.test(f.message)) {
      return `the server did not answer within ${seconds(timeouts.connectMs)} while connecting (${timeoutVariable("connectMs")})`;
    }
    if (f.message === "Query read timeout") {
      const waited = answerTimeoutMs(timeouts.statementMs);
      return `the database did not answer within ${seconds(waited)} (${timeoutVariable("statementMs")} = ${seconds(timeouts.statementMs)}, plus ${seconds(waited - timeouts.statementMs)}): the server is frozen, overloaded or unreachable`;
    }
    if (f.code === "ECONNRESET" || f.code === "EPIPE" || f.code?.startsWith("57P0")) {
      // The adapter's ConnectionClosed carries no message.
      return `lost the connection to the database${f.message ? ` (${f.message})` : ""}`;
    }
    if (LOST.test(f.message)) return `lost the connection to the database (${f.message})`;
  }
  return null;
}

/**
 * `error` as a {@link DatabaseUnavailable} naming `location` when it means the database cannot
 * be used; null for any other error (a failing statement, a constraint, a bug).
 */
export function asUnavailable(error: unknown, location: string): DatabaseUnavailable | null {
  if (error instanceof DatabaseUnavailable) return error;
  const reason = unavailableReason(error);
  return reason ? new DatabaseUnavailable(`${location}: ${reason}`, { cause: error }) : null;
}

/**
 * A database error in plain words where it is one of the limits (statement or lock timeout)
 * or an unavailable database; otherwise the error's own message.
 */
export function describeDatabaseError(error: unknown): string {
  const timeouts = databaseTimeouts();
  for (const f of facts(error)) {
    if (f.code === "57014" && /statement timeout/.test(f.message)) {
      return `a statement ran longer than ${seconds(timeouts.statementMs)} and was cancelled (${timeoutVariable("statementMs")})`;
    }
    if (f.code === "55P03" && /lock timeout/.test(f.message)) {
      return `gave up waiting for a lock after ${seconds(timeouts.lockMs)} (${timeoutVariable("lockMs")})`;
    }
  }
  if (error instanceof DatabaseUnavailable) return error.message;
  const reason = unavailableReason(error);
  if (reason) return reason;
  return error instanceof Error ? error.message : String(error);
}

/** Whether `error` says a table does not exist (SQLSTATE 42P01). */
export const isMissingTable = (error: unknown) => facts(error).some((f) => f.code === "42P01");

/** Whether `error` is PostgreSQL's lock timeout (SQLSTATE 55P03). */
export const isLockTimeout = (error: unknown) => facts(error).some((f) => f.code === "55P03");
