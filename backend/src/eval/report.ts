import type { EvalReport } from "./run.ts";
import type { EvalPoint, Measurement } from "./types.ts";

/** A metric value or interval bound as printed: three decimals. */
export const decimals = (x: number) => x.toFixed(3);

export const formatCi = (ci: Measurement["ci"]) =>
  ci ? `${decimals(ci[0])}–${decimals(ci[1])}` : "-";

const count = (n: number) => n.toLocaleString("en-US");

/** `2026-11-28T00Z … 2026-11-30T00Z, 3 points` */
export function describePoints(points: readonly EvalPoint[]): string {
  const hour = (d: Date) => `${d.toISOString().slice(0, 13)}Z`;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "no points";
  const span = first === last ? hour(first.asOf) : `${hour(first.asOf)} … ${hour(last.asOf)}`;
  return `${span}, ${points.length} point${points.length === 1 ? "" : "s"}`;
}

/**
 * Rows grouped by metric (in the order the evaluator reports them), versions before
 * baselines, so each number sits next to its reference.
 */
export function evalRows(measurements: readonly Measurement[]): string[][] {
  const metrics = [...new Set(measurements.map((m) => m.metric))];
  return metrics.flatMap((metric) =>
    measurements
      .filter((m) => m.metric === metric)
      .map((m) => [
        metric,
        m.method,
        m.value === null ? "-" : decimals(m.value),
        formatCi(m.ci),
        `${count(m.n)} ${m.unit}`,
      ]),
  );
}

export const EVAL_HEADERS = ["metric", "method", "value", "95% CI", "n"] as const;

export function evalTitle(report: EvalReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `${report.job}: ${describePoints(report.points)}, outcomes over the next ${report.horizonHours} h (${seconds} s)`;
}
