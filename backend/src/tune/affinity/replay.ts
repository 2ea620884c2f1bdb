import type { Database } from "@feed-jobs/db";
import { deepMerge } from "@feed-jobs/jobs";
import { type Engaged, readOutcomes } from "../../eval/affinity/outcomes.ts";
import { type ProfileRanking, profilesAsOf } from "../../eval/affinity/profiles.ts";
import { K, RecallTally } from "../../eval/affinity/recall.ts";
import type { EvalPoint, Measurement } from "../../eval/types.ts";
import { AFFINITY_V2 } from "../../jobs/affinity/job.ts";

/** The constants the affinity tuner fits. */
export interface AffinityKnobs {
  readonly recencyDecayFactor: number;
  readonly lookbackDays: number;
  /** The version's cold-start threshold (v1 `minInteractions`, v2 `v2.minInteractions`). */
  readonly minInteractions: number;
}

/** Where a version keeps its knobs, as nested config overrides. */
export function knobSettings(version: string, knobs: AffinityKnobs): Record<string, unknown> {
  const { recencyDecayFactor, lookbackDays, minInteractions } = knobs;
  return version === AFFINITY_V2
    ? { recencyDecayFactor, lookbackDays, v2: { minInteractions } }
    : { recencyDecayFactor, lookbackDays, minInteractions };
}

/**
 * Replays the affinity job at points under candidate knobs, each (point, decay, lookback) once:
 * a run keeps every profile down to one action of activity, so any threshold is scored from it
 * offline (a profile does not depend on the threshold, only whether it exists does).
 */
export class AffinityReplay {
  private readonly outcomes = new Map<EvalPoint, Map<string, Engaged>>();
  private readonly runs = new Map<string, Map<string, ProfileRanking>>();
  /** Job runs made so far (for the notes). */
  replays = 0;

  constructor(
    private readonly db: Database,
    private readonly version: string,
    private readonly overrides: Record<string, unknown>,
    private readonly log: (message: string) => void,
  ) {}

  /** recall@10 topics (and the rest) of the knobs at the points, pooled. */
  async measure(points: readonly EvalPoint[], knobs: AffinityKnobs): Promise<RecallTally> {
    const tally = new RecallTally();
    for (const point of points) {
      const outcomes = await this.outcomesAt(point);
      const rankings = await this.rankingsAt(point, knobs, outcomes);
      tally.add(outcomes, (userId) => {
        const ranking = rankings.get(userId);
        return ranking && ranking.activity >= knobs.minInteractions ? ranking : undefined;
      });
    }
    return tally;
  }

  /** The recall@10 topics measurement of the knobs at the points, as `method`. */
  async topicRecall(points: readonly EvalPoint[], knobs: AffinityKnobs, method: string) {
    const tally = await this.measure(points, knobs);
    const metric = `recall@${K} topics`;
    return tally.measurements(method).find((m) => m.metric === metric) as Measurement;
  }

  private async outcomesAt(point: EvalPoint) {
    const known = this.outcomes.get(point);
    if (known) return known;
    const outcomes = await readOutcomes(this.db.prisma, point);
    this.outcomes.set(point, outcomes);
    return outcomes;
  }

  private async rankingsAt(
    point: EvalPoint,
    knobs: AffinityKnobs,
    users: ReadonlyMap<string, Engaged>,
  ) {
    const key = `${point.asOf.toISOString()} ${knobs.recencyDecayFactor} ${knobs.lookbackDays}`;
    const known = this.runs.get(key);
    if (known) return known;
    const every = { ...knobs, minInteractions: 1 };
    const overrides = deepMerge(this.overrides, knobSettings(this.version, every));
    const started = Date.now();
    const rankings = await profilesAsOf(this.db, point, overrides, users, () => undefined);
    this.replays += 1;
    this.log(
      `affinity tune: ${point.asOf.toISOString()} decay ${knobs.recencyDecayFactor}, lookback ${knobs.lookbackDays} d (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    this.runs.set(key, rankings);
    return rankings;
  }
}
