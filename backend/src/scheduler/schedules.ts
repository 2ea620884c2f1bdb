import { setTimeout as sleep } from "node:timers/promises";
import { type Database, DatabaseUnavailable } from "@feed-jobs/db";
import { JobAlreadyRunning, type JobSchedule } from "@feed-jobs/jobs";
import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { AnyJob } from "../jobs/catalog.ts";
import { isPaused } from "./controls.ts";
import type { Executor } from "./execute.ts";
import type { Metrics } from "./metrics.ts";
import { retryWhileUnavailable } from "./unavailable.ts";

export interface ScheduleDeps {
  db: Database;
  coordinator: RunCoordinator;
  /** Zone of schedules that declare none. */
  timezone: string;
  executor: Executor;
  metrics: Metrics;
  /** The wall clock. */
  clock: () => Date;
  /** Aborted on shutdown: a tick waiting for the database gives up. */
  signal: AbortSignal;
  log(line: string): void;
}

/** How often a tick whose job is running elsewhere tries again, until the next tick is due. */
const BUSY_RETRY_MS = 250;

/** The name of a schedule's node-cron task, and the first part of its tick keys. */
export const taskName = (job: AnyJob, schedule: JobSchedule) => `${job.name}/${schedule.label}`;

/**
 * Registers every declared schedule as a started node-cron task: distributed (one instance
 * per tick, through the coordinator), never overlapping itself in this process. A tick that
 * wins runs the job as of its scheduled time, with trigger CRON and the schedule's options,
 * unless the job is paused. While the job is running (the runner's lock, in any process) the
 * tick waits for it, up to the schedule's next tick, which then takes over. While the database
 * cannot be used the tick retries with a backoff, also up to the next tick.
 */
export function registerSchedules(jobs: readonly AnyJob[], deps: ScheduleDeps): ScheduledTask[] {
  const logger = {
    info: () => undefined,
    debug: () => undefined,
    warn: (message: string) => deps.log(`node-cron: ${message}`),
    error: (message: string | Error) =>
      deps.log(`node-cron: ${message instanceof Error ? message.message : message}`),
  };
  return jobs.flatMap((job) =>
    job.schedules.map((schedule) => {
      const name = taskName(job, schedule);
      if (!cron.validate(schedule.cron))
        throw new Error(`${name}: invalid cron expression "${schedule.cron}"`);
      const task = cron.createTask(
        schedule.cron,
        (ctx) =>
          deps.executor.track(
            runTick(job, schedule, ctx.date, ctx.task?.getNextRun() ?? null, deps),
          ),
        {
          name,
          timezone: schedule.timezone ?? deps.timezone,
          noOverlap: true,
          distributed: true,
          runCoordinator: deps.coordinator,
          logger,
        },
      );
      task.on("execution:skipped", () => deps.metrics.recordSkip(job.name, "not-elected"));
      task.on("execution:overlap", () => deps.metrics.recordSkip(job.name, "busy"));
      void task.start();
      return task;
    }),
  );
}

async function runTick(
  job: AnyJob,
  schedule: JobSchedule,
  slot: Date,
  nextTick: Date | null,
  deps: ScheduleDeps,
): Promise<void> {
  const tick = `${taskName(job, schedule)}: tick ${slot.toISOString()}`;
  const retry = {
    db: deps.db,
    what: tick,
    deadline: nextTick?.getTime() ?? null,
    signal: deps.signal,
    clock: deps.clock,
    log: deps.log,
  };
  try {
    await retryWhileUnavailable(
      () => runUnlessPaused(job, schedule, tick, slot, nextTick, deps),
      retry,
    );
  } catch (error) {
    const detail =
      error instanceof DatabaseUnavailable
        ? error.message
        : error instanceof Error
          ? error.stack
          : error;
    deps.log(`${tick} failed: ${detail}`);
  }
}

async function runUnlessPaused(
  job: AnyJob,
  schedule: JobSchedule,
  tick: string,
  slot: Date,
  nextTick: Date | null,
  deps: ScheduleDeps,
): Promise<void> {
  if (await isPaused(deps.db, job.name)) {
    deps.metrics.recordSkip(job.name, "paused");
    deps.log(`${tick} skipped: ${job.name} is paused`);
    return;
  }
  for (;;) {
    try {
      await deps.executor.execute(job, {
        trigger: "CRON",
        options: schedule.options ?? {},
        asOf: slot,
      });
      return;
    } catch (error) {
      if (!(error instanceof JobAlreadyRunning)) throw error;
      const retryAt = deps.clock().getTime() + BUSY_RETRY_MS;
      if (!nextTick || retryAt >= nextTick.getTime()) {
        deps.metrics.recordSkip(job.name, "busy");
        deps.log(`${tick} skipped: ${error.message}`);
        return;
      }
      // Even while stopping: the tick is claimed, so it gets its run (cancelled at a checkpoint).
      await sleep(BUSY_RETRY_MS);
    }
  }
}
