import type { Database } from "@feed-jobs/db";
import { measurePoint, type PointResult } from "../../eval/trending/measure.ts";
import type { PostOutcome } from "../../eval/trending/outcomes.ts";
import { scoresAsOf } from "../../eval/trending/scores.ts";
import { outcomesAt } from "../../eval/trending.ts";
import type { EvalPoint } from "../../eval/types.ts";

/** A constant the search tries values of: its config path, the values, and what it is judged by. */
export interface Knob {
  readonly path: readonly [string, ...string[]];
  readonly grid: readonly number[];
  /**
   * window: Spearman over every post of the window (unscored = 0), so a gate is judged by the
   * posts it leaves out as well as by those it ranks; velocity: Spearman of velocity over the
   * scored posts (velocity changes no popularity, so only this sees it).
   */
  readonly objective: "window" | "velocity";
}

/** Values of the knobs by dotted path. */
export type Settings = ReadonlyMap<string, number>;

export const dotted = (knob: Knob) => knob.path.join(".");

/** `overrides` with each setting put at its path (groups copied, their other keys kept). */
export function withSettings(
  overrides: Record<string, unknown>,
  settings: Settings,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...overrides };
  for (const [path, value] of settings) {
    const parts = path.split(".");
    let group = result;
    for (const part of parts.slice(0, -1)) {
      const inner = group[part];
      group[part] = typeof inner === "object" && inner !== null ? { ...inner } : {};
      group = group[part] as Record<string, unknown>;
    }
    group[parts[parts.length - 1] as string] = value;
  }
  return result;
}

/** Tolerance under which two objective values count as equal (the value in force then stays). */
const EPSILON = 1e-9;

/**
 * Dry runs of the trending job at points, each (settings, point) computed once, with the
 * outcomes of each point read once.
 */
export class Trials {
  private readonly outcomes = new Map<number, Promise<PostOutcome[]>>();
  private readonly results = new Map<string, Promise<PointResult>>();
  runs = 0;

  constructor(
    private readonly db: Database,
    private readonly overrides: Record<string, unknown>,
    private readonly log: (message: string) => void,
  ) {}

  /** The numbers of `settings` at `point`. */
  at(settings: Settings, point: EvalPoint): Promise<PointResult> {
    const key = `${point.asOf.toISOString()} ${JSON.stringify([...settings])}`;
    let result = this.results.get(key);
    if (!result) {
      result = this.measure(settings, point);
      this.results.set(key, result);
    }
    return result;
  }

  /** The mean of the objective over `points` (−∞ when no point has one). */
  async objective(settings: Settings, points: readonly EvalPoint[], objective: Knob["objective"]) {
    const values: number[] = [];
    for (const point of points) {
      const r = await this.at(settings, point);
      const value = objective === "window" ? r.windowSpearman : r.velocitySpearman;
      if (value !== null) values.push(value);
    }
    return values.length === 0
      ? Number.NEGATIVE_INFINITY
      : values.reduce((a, b) => a + b, 0) / values.length;
  }

  private async measure(settings: Settings, point: EvalPoint): Promise<PointResult> {
    let outcomes = this.outcomes.get(point.asOf.getTime());
    if (!outcomes) {
      outcomes = outcomesAt(this.db, point);
      this.outcomes.set(point.asOf.getTime(), outcomes);
    }
    this.runs += 1;
    const scores = await scoresAsOf(
      this.db,
      point,
      withSettings(this.overrides, settings),
      this.log,
    );
    return measurePoint(scores, await outcomes);
  }
}

/**
 * Coordinate search: each knob in turn takes the grid value (or the value in force) with the
 * best mean objective on `points`, the others held; rounds repeat until none moves, at most
 * `maxRounds`. A value replaces the one in force only when strictly better, and grid values are
 * tried in order, so the search is deterministic.
 */
export async function coordinateSearch(
  trials: Trials,
  knobs: readonly Knob[],
  start: Settings,
  points: readonly EvalPoint[],
  maxRounds: number,
): Promise<Map<string, number>> {
  const settings = new Map(start);
  for (let round = 0; round < maxRounds; round++) {
    let moved = false;
    for (const knob of knobs) {
      const path = dotted(knob);
      let best = settings.get(path) as number;
      let bestValue = await trials.objective(settings, points, knob.objective);
      for (const value of knob.grid) {
        if (value === best) continue;
        const tried = new Map(settings).set(path, value);
        const objective = await trials.objective(tried, points, knob.objective);
        if (objective > bestValue + EPSILON) {
          best = value;
          bestValue = objective;
        }
      }
      if (best !== settings.get(path)) moved = true;
      settings.set(path, best);
    }
    if (!moved) break;
  }
  return settings;
}
