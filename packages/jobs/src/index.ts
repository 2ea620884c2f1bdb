export { ALGORITHM_KEY, algorithmVersions, chooseAlgorithm, resolveRun } from "./algorithms.ts";
export { type ComputeRequest, computeAsOf } from "./compute.ts";
export { ConfigError, configEntries, deepMerge, parseOverrides, resolveConfig } from "./config.ts";
export {
  defineJob,
  type JobBudget,
  type JobContext,
  type JobDefinition,
  type JobOptionName,
  type JobOptions,
  type JobSchedule,
  RunCancelled,
  type ShardOutcome,
  type ShardPosition,
  type ShardSpec,
} from "./definition.ts";
export {
  type AbandonedRun,
  abandonment,
  findAbandonedRuns,
  findRunsByIdPrefix,
  type JobRun,
  jobLockKey,
  lastCompleteRunAsOf,
  markAbandoned,
  requestCancel,
} from "./job-runs.ts";
export {
  describeProgress,
  itemsPerSecond,
  lineProgress,
  type ProgressReporter,
  type ProgressSink,
  type ProgressState,
  silentProgress,
} from "./progress.ts";
export {
  DEAD_LETTERS,
  type OpenQueueOptions,
  openQueue,
  QUEUE_SCHEMA,
  type Queue,
  type QueuedJob,
  runQueue,
  runQueueOptions,
  shardQueue,
  shardQueueOptions,
} from "./queue/boss.ts";
export type { RunMessage, ShardMessage } from "./queue/messages.ts";
export { QueueSettingError, type QueueSettings, queueSettings } from "./queue/settings.ts";
export * from "./requests/index.ts";
export {
  JobAlreadyRunning,
  RunDeclined,
  type RunRequest,
  type RunSummary,
  runJob,
} from "./runner.ts";
export {
  changeSettings,
  type EffectiveOverrides,
  effectiveOverrides,
  layerSettings,
  readSettings,
  type SettingsAuthor,
  type StoredSettings,
  settingsHistory,
  validateSettings,
  writeSettings,
} from "./settings.ts";
export {
  type QueueJobState,
  queueShards,
  type ShardDispatch,
} from "./shards/dispatch.ts";
export { type RunShardOptions, runShard, type ShardAttemptOutcome } from "./shards/run-shard.ts";
export { type WorkShardsOptions, workShards } from "./shards/work.ts";
export { abbreviate } from "./text.ts";
