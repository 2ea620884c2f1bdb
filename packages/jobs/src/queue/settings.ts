import { settingsFromEnv } from "@feed-jobs/db";

/**
 * The queue's settings, each from an environment variable (README "Queue"). Tests shorten
 * the intervals; production keeps the defaults.
 */
export interface QueueSettings {
  /** Attempts of an event request or tick before it goes to the dead letters (FEED_JOBS_REQUEST_ATTEMPTS). */
  requestAttempts: number;
  /** First retry delay of a request; doubles each attempt (FEED_JOBS_REQUEST_RETRY_SECONDS). */
  retryDelaySeconds: number;
  /** A run (request or tick) active longer than this is taken to have lost its worker (FEED_JOBS_RUN_EXPIRE_SECONDS). */
  runExpireSeconds: number;
  /** Attempts of one shard before the run is FAILED (FEED_JOBS_SHARD_ATTEMPTS). */
  shardAttempts: number;
  /** First retry delay of a shard (FEED_JOBS_SHARD_RETRY_SECONDS). */
  shardRetryDelaySeconds: number;
  /** A shard active longer than this has lost its worker and is retried (FEED_JOBS_SHARD_EXPIRE_SECONDS). */
  shardExpireSeconds: number;
  /** How often a supervising process expires, archives and purges (FEED_JOBS_QUEUE_MAINTENANCE_SECONDS). */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker looks for work (FEED_JOBS_QUEUE_POLL_SECONDS). */
  pollingIntervalSeconds: number;
  /** A queued job not started within this many days is dropped (FEED_JOBS_QUEUE_RETENTION_DAYS). */
  retentionDays: number;
  /** Completed jobs move to the archive after this (FEED_JOBS_QUEUE_ARCHIVE_SECONDS). */
  archiveCompletedAfterSeconds: number;
  /** Failed jobs move to the archive after this (FEED_JOBS_QUEUE_ARCHIVE_FAILED_SECONDS). */
  archiveFailedAfterSeconds: number;
  /** Archived jobs are deleted after this many days (FEED_JOBS_QUEUE_DELETE_DAYS). */
  deleteAfterDays: number;
}

const VARIABLES: Record<keyof QueueSettings, [variable: string, fallback: number]> = {
  requestAttempts: ["FEED_JOBS_REQUEST_ATTEMPTS", 3],
  retryDelaySeconds: ["FEED_JOBS_REQUEST_RETRY_SECONDS", 60],
  runExpireSeconds: ["FEED_JOBS_RUN_EXPIRE_SECONDS", 3_600],
  shardAttempts: ["FEED_JOBS_SHARD_ATTEMPTS", 3],
  shardRetryDelaySeconds: ["FEED_JOBS_SHARD_RETRY_SECONDS", 5],
  shardExpireSeconds: ["FEED_JOBS_SHARD_EXPIRE_SECONDS", 900],
  maintenanceIntervalSeconds: ["FEED_JOBS_QUEUE_MAINTENANCE_SECONDS", 30],
  pollingIntervalSeconds: ["FEED_JOBS_QUEUE_POLL_SECONDS", 1],
  retentionDays: ["FEED_JOBS_QUEUE_RETENTION_DAYS", 14],
  archiveCompletedAfterSeconds: ["FEED_JOBS_QUEUE_ARCHIVE_SECONDS", 86_400],
  archiveFailedAfterSeconds: ["FEED_JOBS_QUEUE_ARCHIVE_FAILED_SECONDS", 7 * 86_400],
  deleteAfterDays: ["FEED_JOBS_QUEUE_DELETE_DAYS", 7],
};

/** A FEED_JOBS_* queue setting that is not a positive number. */
export class QueueSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueueSettingError";
  }
}

/** The settings from `env`, defaults for unset variables; an invalid value is refused by name. */
export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  return settingsFromEnv(VARIABLES, env, {
    valid: (value) => Number.isFinite(value) && value > 0,
    refuse: (variable, raw) =>
      new QueueSettingError(`${variable}="${raw}" is not a positive number.`),
  });
}
