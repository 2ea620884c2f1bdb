import type { Prisma } from "@feed-jobs/db";
import type { StatsReport } from "../../monitoring/stats.ts";
import type { Pause } from "../../scheduler/controls.ts";
import { table } from "../io.ts";

/** Text rendering of `stats`. */

const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(0)}s` : `${Math.round(value)}ms`;
const pct = (share: number | null) => (share === null ? "-" : `${(100 * share).toFixed(1)}%`);
const num = (value: number) =>
  Number.isInteger(value) || Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
const age = (value: number | null) => (value === null ? "-" : `${(value / 3_600_000).toFixed(1)}h`);

export function formatReport(report: StatsReport, paused: Pause[]): string {
  const hours = (report.now.getTime() - report.since.getTime()) / 3_600_000;
  const runs = report.jobs.length
    ? table(
        [
          "job",
          "trigger",
          "runs",
          "success",
          "failed",
          "cancelled",
          "p50",
          "p95",
          "p99",
          "items/run",
          "failed/run",
          "over budget",
          "SLA",
        ],
        report.jobs.map((j) => [
          j.job,
          j.trigger,
          String(j.runs),
          pct(j.successRate),
          String(j.failed),
          String(j.cancelled),
          j.durationMs ? ms(j.durationMs.p50) : "-",
          j.durationMs ? ms(j.durationMs.p95) : "-",
          j.durationMs ? ms(j.durationMs.p99) : "-",
          j.itemsPerRun ? num(j.itemsPerRun.processed) : "-",
          j.itemsPerRun ? num(j.itemsPerRun.failed) : "-",
          String(j.budgetBreaches),
          j.slaMs === null ? "-" : ms(j.slaMs),
        ]),
      )
    : "No runs in the window.";
  const tables = table(
    ["table", "eligible", "coverage", "staleness", "rows", "p05", "p50", "p95", "mean", "drift"],
    report.tables.map((t) => {
      const q = t.distribution?.quantiles;
      return [
        t.table,
        String(t.eligible),
        pct(t.coverage),
        age(t.stalenessMs),
        String(t.distribution?.rows ?? 0),
        q ? num(q.p05) : "-",
        q ? num(q.p50) : "-",
        q ? num(q.p95) : "-",
        q ? num(q.mean) : "-",
        t.drift === null ? "no previous run" : `${num(t.drift)}${t.drifted ? " DRIFT" : ""}`,
      ];
    }),
  );
  const c = report.queue.counts;
  return [
    `Runs started in the last ${hours.toFixed(0)} h (since ${report.since.toISOString()}), per job and trigger:`,
    runs,
    "",
    "Output tables (coverage: eligible items with a fresh row; staleness: age of the oldest row):",
    tables,
    ...report.tables.map((t) => `  ${t.table}: eligible = ${t.eligibleLabel}`),
    "",
    `Request queue: depth ${report.queue.depth} (created ${c.created}, retry ${c.retry}, active ${c.active}, dead ${c.failed}, completed ${c.completed}, cancelled ${c.cancelled})`,
    formatPaused(paused),
  ].join("\n");
}

export function formatPaused(paused: Pause[]): string {
  if (paused.length === 0) return "Paused jobs: none";
  const lines = paused.map(
    (p) =>
      `  ${p.jobName} since ${p.pausedAt.toISOString()}${p.pausedBy ? ` by ${p.pausedBy}` : ""}${p.reason ? `: ${p.reason}` : ""}`,
  );
  return ["Paused jobs:", ...lines].join("\n");
}

type DayRow = Prisma.JobDailyStatModel;

const BARS = "▁▂▃▄▅▆▇█";

/** One character per value, scaled to the largest. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (max === 0 ? BARS[0] : BARS[Math.round((v / max) * (BARS.length - 1))]))
    .join("");
}

/** The daily aggregates: a line per job with sparklines of runs, items and coverage per day. */
export function formatDaily(rows: DayRow[], days: readonly Date[]): string {
  if (rows.length === 0)
    return "No daily aggregates yet (the cleanup job and the scheduler write them).";
  const jobs = [...new Set(rows.map((r) => r.jobName))];
  const key = (day: Date) => day.toISOString().slice(0, 10);
  const lines = jobs.map((job) => {
    const byDay = new Map(rows.filter((r) => r.jobName === job).map((r) => [key(r.day), r]));
    const series = days.map((day) => byDay.get(key(day)));
    const total = (pick: (r: DayRow) => number) =>
      series.reduce((sum, r) => sum + (r ? pick(r) : 0), 0);
    const coverage = series.map((r) => r?.coverage ?? 0);
    return [
      job,
      sparkline(series.map((r) => r?.runs ?? 0)),
      String(total((r) => r.runs)),
      pct(
        total((r) => r.runs)
          ? total((r) => r.succeeded) /
              Math.max(
                1,
                total((r) => r.succeeded + r.failed),
              )
          : null,
      ),
      sparkline(series.map((r) => r?.itemsProcessed ?? 0)),
      String(total((r) => r.itemsProcessed)),
      sparkline(coverage),
      pct(series.findLast((r) => r?.coverage != null)?.coverage ?? null),
    ];
  });
  return [
    `Daily aggregates, ${key(days[0] as Date)} to ${key(days[days.length - 1] as Date)} (one character per UTC day):`,
    table(
      [
        "job",
        "runs/day",
        "runs",
        "success",
        "items/day",
        "items",
        "coverage/day",
        "latest coverage",
      ],
      lines,
    ),
  ].join("\n");
}
