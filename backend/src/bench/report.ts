import type { JobMeasurement } from "./measure.ts";

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
  asOf: string;
  seed: { reused: boolean; ms: number; counts: Record<string, number> };
  jobs: JobMeasurement[];
  writes: WriteComparison[];
  feed?: { viewers: number; p50Ms: number; p99Ms: number; meanMs: number };
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "-";

/** The report as Markdown: what `pnpm bench` prints and writes. */
export function toMarkdown(report: BenchReport): string {
  const lines = [
    `# feed-jobs benchmark — ${report.users.toLocaleString("en-US")} users on ${report.database}`,
    "",
    `Population as of ${report.asOf}; ${report.seed.reused ? "reused" : `seeded in ${fmt(report.seed.ms / 1000, 1)} s`}: ${Object.entries(
      report.seed.counts,
    )
      .map(([k, v]) => `${fmt(v)} ${k}`)
      .join(", ")}.`,
    "",
    "## Jobs",
    "",
    "| job | run | status | wall s | items | items/s | rows scanned | rows written | peak RSS MB | incr. / full |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
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
