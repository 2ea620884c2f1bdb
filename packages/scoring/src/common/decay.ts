/**
 * Exponential decay by whole and fractional days: `factorPerDay ^ ageDays`, so 1 at age 0 and
 * multiplied by the factor every day (0.95 per day halves a weight in about 13.5 days). A
 * negative age (a time after now) counts as 0. The jobs' SQL computes the same expression as
 * `power(factor, ageSeconds / 86400)`.
 */
export function dailyDecay(factorPerDay: number, ageDays: number): number {
  return factorPerDay ** Math.max(0, ageDays);
}
