import type { JobTrigger } from "@feed-jobs/db";
import type { JobOptions, ShardSpec } from "../definition.ts";

/**
 * What travels in the queue (pg-boss job data). Plain JSON: dates as ISO strings.
 */

/** A whole run of a job: an event request (`enqueue`, `postCreated`, `userChanged`) or a tick. */
export interface RunMessage {
  readonly trigger: Extract<JobTrigger, "EVENT" | "CRON">;
  /** The run's options: an event's scope (e.g. { postId }) or a schedule's ({ mode: "full" }). */
  readonly options: JobOptions;
  /** What caused it, shown by `requests` (e.g. "post created", "tick nightly-full"). */
  readonly reason: string | null;
  /** When the event happened or the tick was due (ISO). */
  readonly requestedAt: string;
  /** Ticks: the tick's key (the schedule's task and its scheduled time). */
  readonly tick?: string;
}

/** One shard of a full run, for any worker. */
export interface ShardMessage {
  readonly runId: string;
  readonly jobName: string;
  /** 0-based, of `count`. */
  readonly index: number;
  readonly count: number;
  readonly spec: ShardSpec;
  /** The run's version and validated config, so that every shard computes as the run does. */
  readonly algorithmVersion: string;
  readonly config: Record<string, unknown>;
  readonly options: JobOptions;
  /** The run's clock (ISO). */
  readonly asOf: string;
}
