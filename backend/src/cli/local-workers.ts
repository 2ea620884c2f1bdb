import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Database } from "@feed-jobs/db";
import { openQueue, queueShards, type ShardDispatch } from "@feed-jobs/jobs";
import type { AnyJob } from "../jobs/catalog.ts";
import type { CliIO } from "./io.ts";

/** The CLI as `pnpm job` starts it: node with tsx's loader registered in-process. */
const bin = fileURLToPath(new URL("../../bin/feed-jobs.mjs", import.meta.url));

/** A worker's own graceful stop (its --shutdown-timeout default) and a margin, before SIGKILL. */
const STOP_WAIT_MS = 35_000;

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** What a run coordinated with local workers gets: where its shards go, and when to stop. */
export interface LocalWorkerRun {
  shardDispatch: ShardDispatch;
  /** Aborted by SIGINT/SIGTERM, or when every worker exited before the run ended. */
  signal: AbortSignal;
}

/**
 * `--workers N`: runs `run` in this process, which plans the full run and coordinates it, while
 * `count` worker processes (`worker --concurrency 1`, on the same PostgreSQL database) run its
 * shards; the workers' lines go to stderr. The workers are stopped (SIGTERM, then waited for)
 * whatever the run's end: success, failure, SIGINT/SIGTERM (which cancel the run at its next
 * checkpoint) or the loss of every worker (likewise).
 */
export async function withLocalWorkers<T>(
  db: Database,
  job: AnyJob,
  count: number,
  io: CliIO,
  run: (local: LocalWorkerRun) => Promise<T>,
): Promise<T> {
  const queue = await openQueue(db, [job.name]);
  const cancel = new AbortController();
  const workers = Array.from({ length: count }, (_, i) => startWorker(i + 1, io));
  let ended = false;
  void Promise.all(workers.map((worker) => worker.exited)).then(() => {
    if (ended) return;
    io.err(`every worker exited before ${job.name} ended: cancelling the run`);
    cancel.abort();
  });
  const onSignal = (signal: NodeJS.Signals) => {
    io.err(`${signal}: cancelling ${job.name} at its next checkpoint and stopping the workers`);
    cancel.abort();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    return await run({ shardDispatch: queueShards(queue), signal: cancel.signal });
  } finally {
    ended = true;
    for (const signal of SIGNALS) process.off(signal, onSignal);
    await Promise.all(workers.map((worker) => worker.stop()));
    await queue.stop({ close: false });
  }
}

interface LocalWorker {
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within {@link STOP_WAIT_MS}. */
  stop(): Promise<void>;
}

function startWorker(number: number, io: CliIO): LocalWorker {
  const child = spawn(process.execPath, [bin, "worker", "--concurrency", "1"], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  forwardLines(child, (line) => io.err(`worker ${number}: ${line}`));
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      io.err(`worker ${number} could not start: ${error.message}`);
      resolve();
    });
  });
  return {
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function forwardLines(child: ChildProcess, write: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", write);
  }
}
