import { spawn } from "node:child_process";
import { basename, resolve } from "node:path";
import type { AnyJob } from "../jobs/catalog.ts";
import { jobOutputs } from "./outputs.ts";
import { type ProcessUsage, serverCpuSeconds, watchProcessTree } from "./processes.ts";
import { type BenchTarget, withTarget } from "./target.ts";

/** One shard as the coordinator records it in `metadata.shards`. */
interface ShardRecord {
  index: number;
  pid?: number | null;
  host?: string | null;
  attempts?: number;
  /** Null for a shard that never started. */
  startedAt?: string | null;
  durationMs?: number | null;
  items?: number;
  rowsWritten?: number;
}

/** What the shards of one run tell about where its time went. */
export interface ShardFigures {
  count: number;
  meanMs: number;
  maxMs: number;
  /** Attempts beyond the first, over all shards (retries). */
  retries: number;
  /** Rows a shard writes per second of its own duration (all shards' rows ÷ their summed time). */
  rowsPerShardSecond: number;
  /** From the run's start to the first shard's start: planning, copies, queueing. */
  firstShardAfterMs: number;
  /** From the last shard's end to the run's end: validation, swap, the coordinator noticing. */
  finishAfterLastShardMs: number;
  /** Mean wait between one shard's end and the same process's next shard's start (the queue). */
  meanGapMs: number;
}

export interface ScalingMeasurement {
  job: string;
  workers: number;
  status: string;
  error?: string;
  /** The run's duration as its JobRun records it. */
  wallMs: number;
  /** The CLI process's whole life (start-up, starting and stopping its workers included). */
  processWallMs: number;
  items: number;
  rowsWritten: number;
  coordinator?: ProcessUsage;
  /** The worker processes the CLI started (node processes below it). */
  workerProcesses: ProcessUsage[];
  /** CPU seconds of the database server over the run, when the benchmark started the server. */
  serverCpuSeconds?: number;
  shards?: ShardFigures;
}

const root = resolve(import.meta.dirname, "../../..");
const cli = resolve(root, "backend/bin/feed-jobs.mjs");

/**
 * Each job's full run once per worker count, each through the CLI (`--workers N`) from the same
 * state: the job's output tables emptied first. `onProgress` gets the figures after each run.
 */
export async function measureScaling(
  target: BenchTarget,
  jobs: readonly AnyJob[],
  workerCounts: readonly number[],
  options: { asOf: Date; log: (line: string) => void },
  onProgress: (figures: ScalingMeasurement[]) => void,
): Promise<ScalingMeasurement[]> {
  const figures: ScalingMeasurement[] = [];
  for (const job of jobs) {
    for (const workers of workerCounts) {
      options.log(`running ${job.name} (full, ${workers} workers)…`);
      const measured = await measureRun(target, job, workers, options.asOf);
      options.log(
        `  ${measured.status} in ${(measured.wallMs / 1000).toFixed(2)} s, ${measured.rowsWritten} rows written, ${measured.shards?.count ?? 0} shards`,
      );
      figures.push(measured);
      onProgress(figures);
    }
  }
  return figures;
}

/** The flags of a job's full run: `--mode full`, or `--all` for content-features. */
function fullRunFlags(job: AnyJob): string[] {
  if (job.accepts.includes("mode")) return ["--mode", "full"];
  if (job.accepts.includes("all")) return ["--all"];
  return [];
}

/** The tables a full run of `job` replaces, emptied before it so that every run starts alike. */
function outputsOf(job: AnyJob): string[] {
  const output = jobOutputs[job.name];
  return job.rebuilds ? [...job.rebuilds] : output ? [output] : [];
}

async function measureRun(
  target: BenchTarget,
  job: AnyJob,
  workers: number,
  asOf: Date,
): Promise<ScalingMeasurement> {
  const tables = outputsOf(job);
  await withTarget(target, async (db) => {
    // Identifiers come from the job definitions and the fixed output map, never from input.
    if (tables.length > 0) await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.join(", ")}`);
  });
  const startedAt = new Date();
  const serverBefore = target.serverPid ? serverCpuSeconds(target.serverPid) : undefined;
  const started = performance.now();
  const args = [cli, job.name, ...fullRunFlags(job), "--workers", String(workers)];
  const child = spawn(process.execPath, [...args, "--as-of", asOf.toISOString(), "--json"], {
    env: target.env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const watch = child.pid ? watchProcessTree(child.pid) : undefined;
  const exitCode = await new Promise<number | null>((done) => child.on("exit", done));
  const processWallMs = performance.now() - started;
  const processes = watch?.stop() ?? [];
  const serverAfter = target.serverPid ? serverCpuSeconds(target.serverPid) : undefined;
  const run = await withTarget(target, (db) =>
    db.prisma.jobRun.findFirst({
      where: { jobName: job.name, startedAt: { gte: startedAt } },
      orderBy: { startedAt: "desc" },
    }),
  );
  const metadata = (run?.metadata ?? {}) as Record<string, unknown>;
  const shards = Array.isArray(metadata.shards) ? (metadata.shards as ShardRecord[]) : undefined;
  return {
    job: job.name,
    workers,
    status: run?.status ?? "NO RUN",
    ...(run?.error || exitCode !== 0
      ? { error: run?.error ?? `${args.join(" ")} exited with ${exitCode}` }
      : {}),
    wallMs: run?.duration ?? processWallMs,
    processWallMs: Math.round(processWallMs),
    items: run?.itemsProcessed ?? 0,
    rowsWritten: Number(metadata.rowsWritten ?? 0),
    ...roles(child.pid, processes),
    ...(serverBefore !== undefined && serverAfter !== undefined
      ? { serverCpuSeconds: serverAfter - serverBefore }
      : {}),
    ...(shards && run ? { shards: shardFigures(shards, run.startedAt, run.duration ?? 0) } : {}),
  };
}

/** The CLI itself is the coordinator; the node processes below it are its workers. */
function roles(coordinatorPid: number | undefined, processes: ProcessUsage[]) {
  const coordinator = processes.find((p) => p.pid === coordinatorPid);
  const workerProcesses = processes.filter(
    (p) => p.pid !== coordinatorPid && basename(p.command[0] ?? "").startsWith("node"),
  );
  return { ...(coordinator ? { coordinator } : {}), workerProcesses };
}

export function shardFigures(
  shards: readonly ShardRecord[],
  runStartedAt: Date,
  runMs: number,
): ShardFigures {
  const timed = shards.flatMap((s) =>
    s.startedAt && typeof s.durationMs === "number"
      ? [{ ...s, start: Date.parse(s.startedAt), end: Date.parse(s.startedAt) + s.durationMs }]
      : [],
  );
  const durations = timed.map((s) => s.end - s.start);
  const busyMs = durations.reduce((a, b) => a + b, 0);
  const rows = shards.reduce((a, s) => a + (s.rowsWritten ?? 0), 0);
  const gaps: number[] = [];
  const byProcess = new Map<string, typeof timed>();
  for (const s of timed)
    byProcess.set(`${s.host}:${s.pid}`, [...(byProcess.get(`${s.host}:${s.pid}`) ?? []), s]);
  for (const own of byProcess.values()) {
    own.sort((a, b) => a.start - b.start);
    for (let i = 1; i < own.length; i++) {
      gaps.push((own[i]?.start ?? 0) - (own[i - 1]?.end ?? 0));
    }
  }
  const runStart = runStartedAt.getTime();
  return {
    count: shards.length,
    meanMs: durations.length > 0 ? busyMs / durations.length : 0,
    maxMs: Math.max(0, ...durations),
    retries: shards.reduce((a, s) => a + Math.max(0, (s.attempts ?? 1) - 1), 0),
    rowsPerShardSecond: busyMs > 0 ? rows / (busyMs / 1000) : 0,
    firstShardAfterMs: timed.length > 0 ? Math.min(...timed.map((s) => s.start)) - runStart : 0,
    finishAfterLastShardMs:
      timed.length > 0 ? runStart + runMs - Math.max(...timed.map((s) => s.end)) : 0,
    meanGapMs: gaps.length > 0 ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
  };
}
