import type { Command } from "commander";
import cron from "node-cron";
import { catalog } from "../../jobs/catalog.ts";
import { type Cli, table } from "../io.ts";

/** `schedule`: every declared schedule with its next fire time. */
export function registerScheduleCommand(program: Command, { io }: Cli): void {
  program
    .command("schedule")
    .description("List every job's declared schedules and their next fire time")
    .option("--json", "print JSON")
    .action((flags: { json?: boolean }) => {
      const entries = declaredSchedules();
      if (flags.json) io.out(JSON.stringify(entries, null, 2));
      else
        io.out(
          table(
            ["job", "schedule", "cron", "timezone", "next run (UTC)", "options"],
            entries.map((e) => [
              e.job,
              e.label,
              e.cron,
              e.timezone,
              e.nextRun?.toISOString() ?? "-",
              JSON.stringify(e.options),
            ]),
          ),
        );
    });
}

export function declaredSchedules() {
  return catalog.flatMap((job) =>
    job.schedules.map((schedule) => {
      const timezone = schedule.timezone ?? "UTC";
      const task = cron.createTask(schedule.cron, () => undefined, { timezone });
      // getNextRun() is null until a task is started; getNextRuns() computes from the pattern.
      const [nextRun = null] = task.getNextRuns(1);
      void task.destroy();
      return {
        job: job.name,
        label: schedule.label,
        cron: schedule.cron,
        timezone,
        nextRun,
        options: schedule.options ?? {},
      };
    }),
  );
}
