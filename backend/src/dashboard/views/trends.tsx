/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Database } from "@feed-jobs/db";
import type { AnyJob } from "../../jobs/catalog.ts";
import { readDays, utcDay } from "../../monitoring/daily-queries.ts";
import { Chart, type ChartSeries, type Viewer } from "./components.tsx";
import { Page } from "./layout.tsx";

const DAYS = 28;
const DAY_MS = 86_400_000;

type DayRow = Awaited<ReturnType<typeof readDays>>[number];

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
const BLUE = "#3867d6";
const RED = "#eb3b5a";

/** The charts of every job with runs: title, unit, and lines (label, colour, value of a day). */
const charts: {
  title: string;
  unit: string;
  lines: [string, string, (row: DayRow) => number | null][];
}[] = [
  {
    title: "duration",
    unit: "s",
    lines: [
      ["p50", BLUE, (row) => seconds(row.durationP50)],
      ["p95", RED, (row) => seconds(row.durationP95)],
    ],
  },
  {
    title: "items per day",
    unit: "",
    lines: [
      ["processed", "#20bf6b", (row) => row.itemsProcessed],
      ["failed", RED, (row) => row.itemsFailed],
    ],
  },
  {
    title: "runs per day",
    unit: "",
    lines: [
      ["runs", BLUE, (row) => row.runs],
      ["failed", RED, (row) => row.failed],
    ],
  },
];

/** Trends: the daily aggregates over 28 days — is a job getting slower, failing more, covering less. */
export async function trendsPage(db: Database, jobs: readonly AnyJob[], viewer: Viewer) {
  const rows = await readDays(db, viewer.now, DAYS);
  const first = utcDay(viewer.now).getTime() - (DAYS - 1) * DAY_MS;
  const days = Array.from({ length: DAYS }, (_, i) => first + i * DAY_MS);
  const x = days.map((day) => day / 1000);
  return (
    <Page title="Trends" path="/trends" viewer={viewer}>
      <p class="muted">
        One point per UTC day over the last {DAYS} days (from job_daily_stats); a gap is a day
        without runs.
      </p>
      <div class="cards">
        {jobs.map((job) => {
          const byDay = new Map(
            rows.filter((row) => row.jobName === job.name).map((row) => [row.day.getTime(), row]),
          );
          const series = (
            label: string,
            color: string,
            value: (row: DayRow) => number | null,
          ): ChartSeries => ({
            label,
            color,
            values: days.map((day) => {
              const row = byDay.get(day);
              return row ? value(row) : null;
            }),
          });
          const coverage = series("coverage", "#8854d0", (row) =>
            row.coverage === null ? null : 100 * row.coverage,
          );
          return (
            <section class="card" id={`trend-${job.name}`}>
              <h2>{job.name}</h2>
              {byDay.size === 0 ? (
                <p class="muted">No runs in the last {DAYS} days.</p>
              ) : (
                <>
                  {charts.map((chart) => (
                    <Chart
                      title={chart.title}
                      unit={chart.unit}
                      x={x}
                      series={chart.lines.map(([label, color, value]) =>
                        series(label, color, value),
                      )}
                    />
                  ))}
                  {coverage.values.some((value) => value !== null) ? (
                    <Chart title="coverage of its table" unit="%" x={x} series={[coverage]} />
                  ) : null}
                </>
              )}
            </section>
          );
        })}
      </div>
    </Page>
  );
}
