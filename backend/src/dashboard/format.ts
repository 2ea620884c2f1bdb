/** How the dashboard writes times, durations and shares. Times are UTC, as in the CLI. */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "2026-12-02 03:00:00" (UTC). */
export function utc(at: Date): string {
  return at.toISOString().replace("T", " ").slice(0, 19);
}

/** A span of time: "850 ms", "12.3 s", "4.2 min", "1.5 h", "3.0 d". */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < MINUTE_MS) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < HOUR_MS) return `${(ms / MINUTE_MS).toFixed(1)} min`;
  if (ms < DAY_MS) return `${(ms / HOUR_MS).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}

/** "5.0 min ago", or "in 3.0 h" for a time after `now`. */
export function relative(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  return ms >= 0 ? `${duration(ms)} ago` : `in ${duration(-ms)}`;
}

export function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
