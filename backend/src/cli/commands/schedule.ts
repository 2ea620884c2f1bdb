import type { Command } from "commander";
import cron from "node-cron";
import { type AnyJob, catalog } from "../../jobs/catalog.ts";
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

/** Every schedule `jobs` declare, with its next `fireTimes` fire times (the first is `nextRun`). */
export function declaredSchedules(jobs: readonly AnyJob[] = catalog, fireTimes = 1) {
  return jobs.flatMap((job) =>
    job.schedules.map((schedule) => {
      const timezone = schedule.timezone ?? "UTC";
      const task = cron.createTask(schedule.cron, () => undefined, { timezone });
      // getNextRun() is null until a task is started; getNextRuns() computes from the pattern.
      const nextRuns = task.getNextRuns(fireTimes);
      void task.destroy();
      return {
        job: job.name,
        label: schedule.label,
        cron: schedule.cron,
        timezone,
        nextRun: nextRuns[0] ?? null,
        nextRuns,
        options: schedule.options ?? {},
      };
    }),
  );
}
