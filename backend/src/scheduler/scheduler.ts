import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "@feed-jobs/db";
import type { RunCoordinator } from "node-cron";
import { createDashboard } from "../dashboard/app.tsx";
import { executorStart } from "../dashboard/launch.ts";
import { dashboardListener } from "../dashboard/server.ts";
import { databaseCoordinator } from "./coordinator.ts";
import type { Executor } from "./execute.ts";
import { startHttpServer } from "./http.ts";
import { type QueueNodeOptions, startQueueNode } from "./queue-node.ts";
import { registerSchedules } from "./schedules.ts";

export interface SchedulerOptions extends QueueNodeOptions {
  /** Zone of schedules that declare none. Default: "UTC". */
  timezone?: string;
  /** Address of /healthz, /metrics and the dashboard. Default: "127.0.0.1". */
  host?: string;
  /** Port of /healthz, /metrics and the dashboard; 0 picks a free one. Default: 9464. */
  port?: number;
  /** FEED_JOBS_ADMIN_TOKEN: the dashboard's actions need it. Unset: the dashboard is read-only. */
  adminToken?: string | undefined;
}

export interface Scheduler {
  /** host:pid:instance — what tick claims record. */
  readonly owner: string;
  /** The port /healthz and /metrics are served on; null when it was in use. */
  readonly port: number | null;
  /**
   * Takes no more ticks or requests, cancels running jobs at their next checkpoint (they are
   * recorded CANCELLED, their requests go back to the queue) and waits up to `timeoutMs` for
   * them; true when all finished in time.
   */
  stop(timeoutMs: number): Promise<boolean>;
}

/**
 * The scheduler: claims each tick of every schedule once across processes and queues it as a
 * run request; unless `worker: false`, also works on the queue (event requests and ticks).
 */
export async function startScheduler(db: Database, options: SchedulerOptions): Promise<Scheduler> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { log } = options;
  const node = await startQueueNode(db, options);
  const { executor, clock, signal } = node;
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
    registry: node.metrics.registry,
    otherPaths: dashboardListener(dashboard),
    health: async () => {
      const database = await db.prisma.$queryRaw`SELECT 1`.then(
        () => "ok",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const stopping = signal.aborted;
      return {
        healthy: database === "ok" && !stopping,
        body: { status: stopping ? "stopping" : "running", database, owner },
      };
    },
    log,
  });
  const tasks = registerSchedules(options.jobs, {
    db,
    queue: node.queue,
    coordinator: stoppable(
      databaseCoordinator(db, owner, clock, { signal, log }),
      signal,
      executor,
    ),
    signal,
    timezone: options.timezone ?? "UTC",
    executor,
    metrics: node.metrics,
    clock,
    log,
  });
  log(
    `scheduler ${owner}: ${tasks.length} schedules, worker ${options.worker === false ? "off" : "on"}, http port ${http?.port ?? "none"}`,
  );
  return {
    owner,
    port: http?.port ?? null,
    async stop(timeoutMs) {
      await Promise.all(tasks.map((task) => task.destroy()));
      const finished = await node.stop(timeoutMs);
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
