import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { RunSummary } from "@feed-jobs/jobs";

export interface JobMeasurement {
  job: string;
  mode: string;
  status: string;
  wallMs: number;
  items: number;
  rowsScanned: number;
  rowsWritten: number;
  peakRssMb: number;
  notes: Record<string, unknown>;
}

const root = resolve(import.meta.dirname, "../../..");
const tsxLoader = resolve(root, "node_modules/tsx/dist/loader.mjs");
const worker = resolve(import.meta.dirname, "worker.ts");

/** Runs one job in a child process (its own peak RSS) and reads its summary. */
export function measureJob(
  env: NodeJS.ProcessEnv,
  job: string,
  asOf: Date,
  mode: "full" | "incremental",
): JobMeasurement {
  const started = performance.now();
  const output = execFileSync(
    process.execPath,
    ["--import", `file://${tsxLoader}`, worker, job, asOf.toISOString(), mode],
    { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
  );
  const wallMs = performance.now() - started;
  const line = output.trim().split("\n").at(-1) ?? "{}";
  const { summary, peakRssMb } = JSON.parse(line) as {
    summary: Omit<RunSummary, "result">;
    peakRssMb: number;
  };
  const {
    rowsScanned,
    rowsWritten,
    budget: _b,
    budgetExceeded: _e,
    config: _c,
    ...notes
  } = summary.metadata as Record<string, unknown>;
  return {
    job,
    mode,
    status: summary.status,
    // The job's own duration, without the child's start-up (reported separately in notes).
    wallMs: summary.durationMs,
    items: summary.itemsProcessed,
    rowsScanned: Number(rowsScanned ?? 0),
    rowsWritten: Number(rowsWritten ?? 0),
    peakRssMb,
    notes: { ...notes, processWallMs: Math.round(wallMs) },
  };
}
