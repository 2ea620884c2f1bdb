import { findJob } from "../jobs/catalog.ts";
import type { JobMeasurement } from "./measure.ts";
import type { ScalingMeasurement } from "./scaling.ts";

export interface WriteComparison {
  job: string;
  table: string;
  sampleRows: number;
  referenceRowsPerSec: number;
  perRowSampleRows: number;
  perRowRowsPerSec: number;
}

export interface BenchReport {
  database: string;
  users: number;
  /** Size and layout, e.g. `100000-metro-window64000` (see populationName). */
  population: string;
  asOf: string;
  seed: { reused: boolean; ms: number; counts: Record<string, number> };
  jobs: JobMeasurement[];
  writes: WriteComparison[];
  feed?: { viewers: number; p50Ms: number; p99Ms: number; meanMs: number };
  /** `--workers`: each sharded job's full run per worker count. */
  scaling?: ScalingMeasurement[];
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "-";

/** The report as Markdown: what `pnpm bench` prints and writes. */
export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# feed-jobs benchmark — ${report.users.toLocaleString("en-US")} users (${report.population}) on ${report.database}`,
    "",
    `Population as of ${report.asOf}; ${report.seed.reused ? "reused" : `seeded in ${fmt(report.seed.ms / 1000, 1)} s`}: ${Object.entries(
      report.seed.counts,
    )
      .map(([k, v]) => `${fmt(v)} ${k}`)
      .join(", ")}.`,
  ];
  if (report.scaling) return `${[...lines, ...scalingLines(report.scaling)].join("\n")}\n`;
  lines.push(
    "",
    "## Jobs",
    "",
    "| job | run | status | wall s | items | items/s | rows scanned | rows written | peak RSS MB | incr. / full |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const m of report.jobs) {
    const full = report.jobs.find((f) => f.job === m.job && f.mode === "full");
    const ratio =
      m.mode !== "full" && full && full.wallMs > 0
        ? `${fmt((100 * m.wallMs) / full.wallMs, 2)}%`
        : "";
    lines.push(
      `| ${m.job} | ${m.mode} | ${m.status} | ${fmt(m.wallMs / 1000, 2)} | ${fmt(m.items)} | ${fmt(m.items / Math.max(m.wallMs / 1000, 1e-3))} | ${fmt(m.rowsScanned)} | ${fmt(m.rowsWritten)} | ${fmt(m.peakRssMb)} | ${ratio} |`,
    );
  }
  lines.push(...trendingLines(report.jobs));
  lines.push(
    "",
    "## Write path, measured in the same run on the same database",
    "",
    "| job | table | job rows/s (wall) | raw unnest rows/s | job ÷ raw | per-row upsert rows/s | per-row time for the job's rows | speed-up |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const w of report.writes) {
    const full = report.jobs.find((m) => m.job === w.job && m.mode === "full");
    if (!full) continue;
    const jobRate = full.rowsWritten / Math.max(full.wallMs / 1000, 1e-3);
    const perRowSeconds = full.rowsWritten / Math.max(w.perRowRowsPerSec, 1e-9);
    lines.push(
      `| ${w.job} | ${w.table} | ${fmt(jobRate)} | ${fmt(w.referenceRowsPerSec)} | ${fmt(jobRate / w.referenceRowsPerSec, 2)} | ${fmt(w.perRowRowsPerSec)} | ${fmt(perRowSeconds, 1)} s | ${fmt(perRowSeconds / (full.wallMs / 1000), 1)}x |`,
    );
  }
  if (report.feed) {
    lines.push(
      "",
      "## Feed read path",
      "",
      `rankFeed over ${report.feed.viewers} viewers: p50 ${fmt(report.feed.p50Ms, 1)} ms, p99 ${fmt(report.feed.p99Ms, 1)} ms, mean ${fmt(report.feed.meanMs, 1)} ms.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const seconds = (ms: number) => fmt(ms / 1000, 2);

/**
 * The `--workers` tables: per job and worker count, the run, its processes and the server's
 * CPU; then where the shards' time went (what limits more workers).
 */
function scalingLines(figures: readonly ScalingMeasurement[]): string[] {
  const lines = [
    "",
    "## Full runs by number of worker processes",
    "",
    "Speed-up: the 1-worker run's wall time ÷ this one's. Peak RSS: the largest worker process's. CPU: user + system seconds of all worker processes, and of the database server (every backend) over the run.",
    "",
    "| job | workers | status | wall s | speed-up | items/s | rows written/s | peak RSS MB per worker | coordinator MB | worker CPU s | DB CPU s | DB ÷ worker CPU |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const m of figures) {
    const base = figures
      .filter((f) => f.job === m.job && f.status === "SUCCESS")
      .sort((a, b) => a.workers - b.workers)[0];
    const speedUp = base && m.status === "SUCCESS" ? fmt(base.wallMs / m.wallMs, 2) : "";
    const wall = Math.max(m.wallMs / 1000, 1e-3);
    // No worker process seen (a run that failed to start them): "-", not zero.
    const seen = m.workerProcesses.length > 0;
    const workerCpu = seen ? m.workerProcesses.reduce((s, p) => s + p.cpuSeconds, 0) : Number.NaN;
    const peak = seen ? Math.max(...m.workerProcesses.map((p) => p.peakRssMb)) : Number.NaN;
    const db = m.serverCpuSeconds;
    lines.push(
      `| ${m.job} | ${m.workers} | ${m.status} | ${seconds(m.wallMs)} | ${speedUp} | ${fmt(m.items / wall)} | ${fmt(m.rowsWritten / wall)} | ${fmt(peak)} | ${fmt(m.coordinator?.peakRssMb ?? Number.NaN)} | ${fmt(workerCpu, 1)} | ${db === undefined ? "-" : fmt(db, 1)} | ${db === undefined ? "-" : fmt(db / workerCpu, 2)} |`,
    );
  }
  lines.push(
    "",
    "### Shards",
    "",
    "Shard rows/s: rows written per second of shard time. First shard after: from the run's start (planning, rebuild copies, queueing). Gap: mean wait between a worker's shards (the queue). After last shard: validation, swap and the coordinator noticing.",
    "",
    "| job | workers | shards | retries | mean shard s | max shard s | shard rows/s | first shard after s | gap s | after last shard s |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const m of figures) {
    const s = m.shards;
    if (!s) continue;
    lines.push(
      `| ${m.job} | ${m.workers} | ${s.count} | ${s.retries} | ${seconds(s.meanMs)} | ${seconds(s.maxMs)} | ${fmt(s.rowsPerShardSecond)} | ${seconds(s.firstShardAfterMs)} | ${seconds(s.meanGapMs)} | ${seconds(s.finishAfterLastShardMs)} |`,
    );
  }
  const errors = figures.filter((m) => m.error);
  if (errors.length > 0)
    lines.push("", ...errors.map((m) => `- ${m.job} × ${m.workers}: ${m.error}`));
  return lines;
}

/** How big trending's window was and how long its run took, beside its runtime budget. */
function trendingLines(jobs: readonly JobMeasurement[]): string[] {
  const run = jobs.find((m) => m.job === "trending");
  const budgetMs = findJob("trending")?.budget.maxRuntimeMs;
  if (!run || budgetMs === undefined) return [];
  return [
    "",
    `Trending's window: ${fmt(run.rowsScanned)} posts scanned, ${fmt(Number(run.notes.candidates ?? 0))} candidates past its gate; the run took ${seconds(run.wallMs)} s (budget ${seconds(budgetMs)} s).`,
  ];
}
