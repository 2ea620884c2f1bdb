/** Exit codes of the CLI, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** A run ended FAILED or CANCELLED, or a health check fired. */
  failed: 1,
  /** Bad input: unknown option, invalid value, unknown id or config key. */
  usage: 2,
  /** Another run of the same job holds its lock, or another process the embedded database. */
  busy: 3,
  /**
   * The database could not be used: invalid DATABASE_URL, connection refused, authentication
   * failed, unknown database, no answer within a timeout, connection lost.
   */
  unavailable: 4,
} as const;

/** An error in what the user typed: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  isTTY: process.stderr.isTTY === true,
};

/** What every command gets: where to write, and the exit code to end with. */
export interface Cli {
  readonly io: CliIO;
  exitCode: number;
}

/** Renders rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
