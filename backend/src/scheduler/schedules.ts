import { type Database, DatabaseUnavailable } from "@feed-jobs/db";
import { type JobSchedule, type Queue, type RunMessage, runQueue } from "@feed-jobs/jobs";
import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { AnyJob } from "../jobs/catalog.ts";
import { isPaused } from "./controls.ts";
import type { Executor } from "./execute.ts";
import type { Metrics } from "./metrics.ts";
import { retryWhileUnavailable } from "./unavailable.ts";

export interface ScheduleDeps {
  db: Database;
  /** Where ticks go, as run requests. */
  queue: Queue;
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

/** The name of a schedule's node-cron task, and the first part of its tick keys. */
export const taskName = (job: AnyJob, schedule: JobSchedule) => `${job.name}/${schedule.label}`;

/** A tick's key, as node-cron asks the coordinator about it: the task's name and the tick's time. */
export const tickKey = (job: AnyJob, schedule: JobSchedule, slot: Date) =>
  `${taskName(job, schedule)}:${slot.toISOString()}`;

/** The task a tick key belongs to (see {@link tickKey}). */
export const tickTask = (key: string) => key.replace(/:\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, "");

/**
 * Registers every declared schedule as a started node-cron task: distributed (one instance
 * per tick, through the coordinator), never overlapping itself in this process. A tick that
 * wins queues a run of the job (`run.<job>`, trigger CRON, the schedule's options, as of its
 * scheduled time), unless the job is paused; whichever worker takes it runs it (worker.ts). A
 * tick whose job stays busy (its lock held in any process), or whose workers are all busy or
 * away, until the schedule's next tick is queued is skipped: the next one takes over.
 * While the database cannot be used the tick retries with a backoff, also up to the next tick.
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
  const tick = tickKey(job, schedule, slot);
  const retry = {
    db: deps.db,
    what: tick,
    deadline: nextTick?.getTime() ?? null,
    signal: deps.signal,
    clock: deps.clock,
    log: deps.log,
  };
  try {
    await retryWhileUnavailable(() => queueUnlessPaused(job, schedule, tick, slot, deps), retry);
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

async function queueUnlessPaused(
  job: AnyJob,
  schedule: JobSchedule,
  tick: string,
  slot: Date,
  deps: ScheduleDeps,
): Promise<void> {
  if (await isPaused(deps.db, job.name)) {
    deps.metrics.recordSkip(job.name, "paused");
    deps.log(`${tick} skipped: ${job.name} is paused`);
    return;
  }
  const message: RunMessage = {
    trigger: "CRON",
    options: schedule.options ?? {},
    reason: `tick ${taskName(job, schedule)}`,
    requestedAt: slot.toISOString(),
    tick,
  };
  await deps.queue.send(runQueue(job.name), message, { singletonKey: tick });
}
