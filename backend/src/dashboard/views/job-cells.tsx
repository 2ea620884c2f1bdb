/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { DEFAULT_HEALTH_LIMITS, tableChecks } from "../../monitoring/health.ts";
import type { JobStats, TableStats } from "../../monitoring/stats.ts";
import { duration, percent } from "../format.ts";
import type { TrendPoint } from "../queries.ts";
import { Chart } from "./components.tsx";

/** The overview's cells that summarise a job: its duration trend, success rate and output table. */

export function Trend({ points }: { points: TrendPoint[] }) {
  if (points.length === 0) return <span class="muted">no runs yet</span>;
  const newest = points[points.length - 1] as TrendPoint;
  return (
    <div class="trend">
      <Chart
        small
        unit="s"
        x={points.map((p) => p.startedAt.getTime() / 1000)}
        series={[
          { label: "duration", values: points.map((p) => p.duration / 1000), color: "#3867d6" },
        ]}
      />
      <span class="muted">last {duration(newest.duration)}</span>
    </div>
  );
}

/** Success rate of the job's finished runs over the window, all triggers together. */
export function SuccessRate({ stats }: { stats: JobStats[] }) {
  const succeeded = stats.reduce((sum, s) => sum + s.succeeded, 0);
  const finished = succeeded + stats.reduce((sum, s) => sum + s.failed, 0);
  if (finished === 0) return <span class="muted">no finished runs</span>;
  return (
    <span class={succeeded / finished < DEFAULT_HEALTH_LIMITS.minSuccessRate ? "bad" : undefined}>
      {percent(succeeded / finished)} <span class="muted">of {finished}</span>
    </span>
  );
}

export function TableHealth({ table }: { table: TableStats }) {
  // The same limits `health` alerts on.
  const firing = (kind: string) =>
    tableChecks(table).some((check) => check.firing && check.key.startsWith(`${kind}:`));
  const lowCoverage = firing("coverage");
  const stale = firing("staleness");
  return (
    <div class="table-health">
      <code>{table.table}</code>
      <div class={lowCoverage ? "bad" : undefined}>
        coverage {table.coverage === null ? "–" : percent(table.coverage)}
      </div>
      <div class={stale ? "bad" : undefined}>
        oldest row {table.stalenessMs === null ? "–" : duration(table.stalenessMs)}
      </div>
      {table.drifted ? (
        <div class="bad">drifted ({table.drift?.toFixed(2)} of the previous spread)</div>
      ) : (
        <div class="muted">no drift{table.drift === null ? " measured" : ""}</div>
      )}
    </div>
  );
}
