export type { CopyTarget, CopyValue } from "./copy-rows.ts";
export type { Database, HeldLock, ScriptTransaction } from "./database.ts";
export {
  ADULT_AGE,
  adultBornBy,
  countIneligibleUsers,
  eligiblePerson,
  type IneligibleReason,
  ineligibleReason,
} from "./eligibility.ts";
export { openEmbedded } from "./embedded.ts";
export {
  asUnavailable,
  DatabaseUnavailable,
  describeDatabaseError,
  isLockTimeout,
  isMissingTable,
} from "./errors.ts";
export { failAt, pauseAt } from "./fault-points.ts";
export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export type {
  EngagementType,
  Gender,
  JobStatus,
  JobTrigger,
  PostType,
  RelationshipGoal,
} from "./generated/prisma/enums.ts";
export {
  type AppliedMigration,
  assertUnchanged,
  ChangedMigration,
  defaultMigrationsDir,
  MigrationError,
  type MigrationFile,
  type MigrationResult,
  migrate,
  readMigrations,
} from "./migrate.ts";
export { defaultDataDir, openDatabase } from "./open.ts";
export { DatabaseInUse, isProcessAlive } from "./pid-lock.ts";
export { openPostgres } from "./postgres.ts";
export {
  abandonRebuild,
  finishRebuild,
  rebuildCopyOf,
  type ShortLockOptions,
  startRebuild,
} from "./rebuild.ts";
export {
  type DatabaseTimeouts,
  databaseTimeouts,
  settingsFromEnv,
  TimeoutSettingError,
} from "./timeouts.ts";
