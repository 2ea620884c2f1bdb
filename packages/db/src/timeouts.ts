/**
 * How long the project waits for PostgreSQL, in milliseconds, each from an environment variable
 * (README "Timeouts"). A limit reached ends the statement or the run with an error that names it.
 */
export interface DatabaseTimeouts {
  /** Opening a connection (FEED_JOBS_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /** One statement, on the server (FEED_JOBS_STATEMENT_TIMEOUT_MS); the client gives up a
   * little later ({@link answerTimeoutMs}), which is how a frozen server is noticed. */
  statementMs: number;
  /** Waiting for a row or table lock (FEED_JOBS_LOCK_TIMEOUT_MS). */
  lockMs: number;
  /** A rebuild's swap waiting for its exclusive lock, per attempt (FEED_JOBS_SWAP_LOCK_TIMEOUT_MS). */
  swapLockMs: number;
  /** Attempts of a swap before the run fails (FEED_JOBS_SWAP_ATTEMPTS). */
  swapAttempts: number;
}

/** The limits' variables and defaults. The statement default is far above the heaviest
 * set-based statement of a 100k-user run (seconds to tens of seconds) and under the longest
 * job budget (10 min). */
const VARIABLES: Record<keyof DatabaseTimeouts, [variable: string, fallback: number]> = {
  connectMs: ["FEED_JOBS_CONNECT_TIMEOUT_MS", 10_000],
  statementMs: ["FEED_JOBS_STATEMENT_TIMEOUT_MS", 300_000],
  lockMs: ["FEED_JOBS_LOCK_TIMEOUT_MS", 60_000],
  swapLockMs: ["FEED_JOBS_SWAP_LOCK_TIMEOUT_MS", 2_000],
  swapAttempts: ["FEED_JOBS_SWAP_ATTEMPTS", 8],
};

/**
 * How long the client waits for an answer: the statement timeout plus 5 s (plus the statement
 * timeout itself when that is shorter), so that a live server's own timeout error arrives first.
 */
export const answerTimeoutMs = (statementMs: number) => statementMs + Math.min(5_000, statementMs);

/** A FEED_JOBS_* setting that is not a positive whole number. */
export class TimeoutSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutSettingError";
  }
}

/** The limits from `env`, defaults for unset variables; an invalid value is refused by name. */
export function databaseTimeouts(env: NodeJS.ProcessEnv = process.env): DatabaseTimeouts {
  return settingsFromEnv(VARIABLES, env, {
    valid: (value) => Number.isSafeInteger(value) && value > 0,
    refuse: (variable, raw) =>
      new TimeoutSettingError(`${variable}="${raw}" is not a positive whole number.`),
  });
}

/**
 * Numeric settings from FEED_JOBS_* variables: each key's variable, or its default when unset;
 * a value `valid` refuses is thrown as `refuse` makes it, naming the variable.
 */
export function settingsFromEnv<Key extends string>(
  variables: Record<Key, [variable: string, fallback: number]>,
  env: NodeJS.ProcessEnv,
  check: { valid(value: number): boolean; refuse(variable: string, raw: string): Error },
): Record<Key, number> {
  const entries = Object.entries<[string, number]>(variables).map(([key, [variable, fallback]]) => {
    const raw = env[variable]?.trim();
    if (!raw) return [key, fallback];
    const value = Number(raw);
    if (!check.valid(value)) throw check.refuse(variable, raw);
    return [key, value];
  });
  return Object.fromEntries(entries) as Record<Key, number>;
}

/** The variable behind a limit, for messages. */
export const timeoutVariable = (key: keyof DatabaseTimeouts) => VARIABLES[key][0];

/** "2.5 s", "300 s". */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
