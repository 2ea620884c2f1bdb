import type { ActivitySpan } from "./history.ts";
import type { EvalPoint } from "./types.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Points a backtest uses when not told: three, a step apart, ending a horizon before the data does. */
export const DEFAULT_POINTS = 3;

/** The history is too short (or the asked range outside it) for the backtest asked for. */
export class ShortHistory extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShortHistory";
  }
}

export interface PointRange {
  readonly from?: Date;
  readonly to?: Date;
  readonly everyMs: number;
}

export interface HistoryNeeds {
  readonly job: string;
  readonly horizonHours: number;
  readonly historyDays: number;
}

/**
 * The as-of points of a backtest: `from`, `from + every`, … up to `to`. Without `to`, the last
 * point is one horizon before the last recorded activity (its outcomes are all known); without
 * `from`, three points. Every point needs `historyDays` of history before it and its whole
 * horizon after it, else {@link ShortHistory} says what the data spans and what was needed.
 */
export function evalPoints(span: ActivitySpan | null, range: PointRange, needs: HistoryNeeds) {
  const horizonMs = needs.horizonHours * HOUR_MS;
  if (!span) throw new ShortHistory(`${needs.job}: the database has no activity to evaluate on`);
  const to = range.to ?? new Date(floorHour(span.last.getTime() - horizonMs));
  const from = range.from ?? new Date(to.getTime() - (DEFAULT_POINTS - 1) * range.everyMs);
  if (from > to)
    throw new ShortHistory(`${needs.job}: --from ${iso(from)} is after --to ${iso(to)}`);
  const earliest = span.first.getTime() + needs.historyDays * DAY_MS;
  const latest = span.last.getTime() - horizonMs;
  if (from.getTime() < earliest || to.getTime() > latest) {
    throw new ShortHistory(
      `${needs.job}: history too short for points ${iso(from)} … ${iso(to)}: each needs ${needs.historyDays} d of history before it and ${needs.horizonHours} h of outcomes after it, and the database's activity spans ${iso(span.first)} … ${iso(span.last)} (points must lie in ${iso(new Date(earliest))} … ${iso(new Date(latest))})`,
    );
  }
  const points: EvalPoint[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += range.everyMs) {
    points.push({ asOf: new Date(t), until: new Date(t + horizonMs) });
  }
  return points;
}

/** `30m`, `12h`, `1d`, `2w` as milliseconds. */
export function parseStep(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/i.exec(value.trim());
  if (!match) return null;
  const unit = { m: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS }[
    (match[2] ?? "d").toLowerCase() as "m" | "h" | "d" | "w"
  ];
  const ms = Number(match[1]) * unit;
  return ms > 0 ? ms : null;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const iso = (d: Date) => d.toISOString().replace(":00.000Z", "Z");
