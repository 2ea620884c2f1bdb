import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "@feed-jobs/db";
import type { RunCoordinator } from "node-cron";
import { createDashboard } from "../dashboard/app.tsx";
import { executorStart } from "../dashboard/launch.ts";
import { dashboardListener } from "../dashboard/server.ts";
import type { AnyJob } from "../jobs/catalog.ts";
import { DEFAULT_HEALTH_LIMITS, type HealthLimits } from "../monitoring/health.ts";
import { createAlerter } from "./alerts.ts";
import { databaseCoordinator } from "./coordinator.ts";
import { createExecutor, type Executor } from "./execute.ts";
import { startHttpServer } from "./http.ts";
import { createMetrics } from "./metrics.ts";
import { registerSchedules } from "./schedules.ts";
import { runWorker, type WorkerOptions } from "./worker.ts";

export interface SchedulerOptions extends WorkerOptions {
  /** The jobs whose schedules are registered and whose requests are worked on. */
  jobs: readonly AnyJob[];
  log(line: string): void;
  /** Zone of schedules that declare none. Default: "UTC". */
  timezone?: string;
  /** Address of /healthz, /metrics and the dashboard. Default: "127.0.0.1". */
  host?: string;
  /** Port of /healthz, /metrics and the dashboard; 0 picks a free one. Default: 9464. */
  port?: number;
  /** FEED_JOBS_ADMIN_TOKEN: the dashboard's actions need it. Unset: the dashboard is read-only. */
  adminToken?: string | undefined;
  /** Run the event-request worker in this process. Default: true. */
  worker?: boolean;
  /** Slack-compatible incoming webhook for alerts. Default: none (alerts go to the log only). */
  alertWebhookUrl?: string | undefined;
  /** Default: {@link DEFAULT_HEALTH_LIMITS}. */
  limits?: HealthLimits;
  /** The wall clock, read once per tick, request and run. Default: () => new Date(). */
  clock?: () => Date;
}

export interface Scheduler {
  /** host:pid:instance — what tick claims and claimed requests record. */
  readonly owner: string;
  /** The port /healthz and /metrics are served on; null when it was in use. */
  readonly port: number | null;
  /**
   * Takes no more ticks or requests, cancels running jobs at their next checkpoint (they are
   * recorded CANCELLED) and waits up to `timeoutMs` for them; true when all finished in time.
   */
  stop(timeoutMs: number): Promise<boolean>;
}

export async function startScheduler(db: Database, options: SchedulerOptions): Promise<Scheduler> {
  const clock = options.clock ?? (() => new Date());
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const shutdown = new AbortController();
  const { log } = options;
  const metrics = createMetrics(
    db,
    options.jobs.map((job) => job.name),
  );
  const executor = createExecutor({
    db,
    catalog: options.jobs,
    clock,
    signal: shutdown.signal,
    log,
    metrics,
    alerter: createAlerter({ log, webhookUrl: options.alertWebhookUrl }),
    limits: options.limits ?? DEFAULT_HEALTH_LIMITS,
  });
  const dashboard = createDashboard({
    db,
    jobs: options.jobs,
    adminToken: options.adminToken,
    startRun: executorStart(executor),
    log,
    clock,
  });
  const http = await startHttpServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 9464,
    registry: metrics.registry,
    otherPaths: dashboardListener(dashboard),
    health: async () => {
      const database = await db.prisma.$queryRaw`SELECT 1`.then(
        () => "ok",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const stopping = shutdown.signal.aborted;
      return {
        healthy: database === "ok" && !stopping,
        body: { status: stopping ? "stopping" : "running", database, owner },
      };
    },
    log,
  });
  const tasks = registerSchedules(options.jobs, {
    db,
    coordinator: stoppable(
      databaseCoordinator(db, owner, clock, { signal: shutdown.signal, log }),
      shutdown.signal,
      executor,
    ),
    signal: shutdown.signal,
    timezone: options.timezone ?? "UTC",
    executor,
    metrics,
    clock,
    log,
  });
  const worker =
    options.worker === false
      ? Promise.resolve()
      : runWorker(
          { db, jobs: options.jobs, owner, clock, signal: shutdown.signal, executor, log },
          options,
        );
  log(
    `scheduler ${owner}: ${tasks.length} schedules, worker ${options.worker === false ? "off" : "on"}, http port ${http?.port ?? "none"}`,
  );
  return {
    owner,
    port: http?.port ?? null,
    async stop(timeoutMs) {
      await Promise.all(tasks.map((task) => task.destroy()));
      shutdown.abort();
      const finished = await executor.drain(timeoutMs);
      if (finished) await worker;
      await http?.close();
      return finished;
    },
  };
}

/**
 * Claims no tick once stopping, and counts claims and completions in flight as work that
 * shutdown waits for (node-cron records a completion just after the tick's task settles).
 */
function stoppable(
  coordinator: RunCoordinator,
  signal: AbortSignal,
  executor: Executor,
): RunCoordinator {
  return {
    shouldRun: (key, ttlMs) =>
      signal.aborted ? false : executor.track(Promise.resolve(coordinator.shouldRun(key, ttlMs))),
    onComplete: (key) => executor.track(Promise.resolve(coordinator.onComplete?.(key))),
  };
}
