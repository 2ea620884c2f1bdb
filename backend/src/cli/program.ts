import {
  ChangedMigration,
  DatabaseInUse,
  DatabaseUnavailable,
  TimeoutSettingError,
} from "@feed-jobs/db";
import { ConfigError, JobAlreadyRunning, QueueSettingError } from "@feed-jobs/jobs";
import { Command, CommanderError } from "commander";
import { ShortHistory } from "../eval/points.ts";
import { registerControlCommands } from "./commands/control.ts";
import { registerDashboardCommand } from "./commands/dashboard.ts";
import { registerDbCommands } from "./commands/db.ts";
import { registerEvalCommand } from "./commands/eval.ts";
import { registerFeedCommand } from "./commands/feed.ts";
import { registerHealthCommand } from "./commands/health.ts";
import { registerJobCommands } from "./commands/jobs.ts";
import { registerRequestCommands } from "./commands/requests.ts";
import { registerRunsCommand } from "./commands/runs.ts";
import { registerScheduleCommand } from "./commands/schedule.ts";
import { registerSchedulerCommand } from "./commands/scheduler.ts";
import { registerSettingsCommand } from "./commands/settings.ts";
import { registerStatsCommand } from "./commands/stats.ts";
import { registerTuneCommand } from "./commands/tune.ts";
import { registerWorkerCommand } from "./commands/worker.ts";
import { type Cli, type CliIO, ExitCode, processIO, UsageError } from "./io.ts";

/** Builds the CLI; commands set `cli.exitCode`. */
export function buildProgram(cli: Cli): Command {
  const { io } = cli;
  const program = new Command("job")
    .description("feed-jobs: precompute what the feed ranks with")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  registerJobCommands(program, cli);
  registerRunsCommand(program, cli);
  registerScheduleCommand(program, cli);
  registerSchedulerCommand(program, cli);
  registerWorkerCommand(program, cli);
  registerDashboardCommand(program, cli);
  registerRequestCommands(program, cli);
  registerControlCommands(program, cli);
  registerStatsCommand(program, cli);
  registerHealthCommand(program, cli);
  registerFeedCommand(program, cli);
  registerEvalCommand(program, cli);
  registerTuneCommand(program, cli);
  registerSettingsCommand(program, cli);
  registerDbCommands(program, cli);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const cli: Cli = { io, exitCode: ExitCode.ok };
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return cli.exitCode;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // Commander has printed the message already; help and version are not errors.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof TimeoutSettingError ||
    error instanceof QueueSettingError ||
    error instanceof ChangedMigration ||
    error instanceof ShortHistory
  ) {
    io.err(`error: ${error.message}`);
    return ExitCode.usage;
  }
  if (error instanceof JobAlreadyRunning || error instanceof DatabaseInUse) {
    io.err(`error: ${error.message}`);
    return ExitCode.busy;
  }
  if (error instanceof DatabaseUnavailable) {
    io.err(`error: ${error.message}`);
    return ExitCode.unavailable;
  }
  io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return ExitCode.failed;
}
