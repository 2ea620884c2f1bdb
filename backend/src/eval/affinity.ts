import { chooseAlgorithm } from "@feed-jobs/jobs";
import { affinityJob } from "../jobs/affinity/job.ts";
import { decayedFrequency } from "./affinity/baseline.ts";
import { readOutcomes } from "./affinity/outcomes.ts";
import { profilesAsOf } from "./affinity/profiles.ts";
import { RecallTally } from "./affinity/recall.ts";
import type { Evaluator } from "./types.ts";

/** A week of engagement after each point is what the profile should foresee. */
const HORIZON_HOURS = 7 * 24;
/**
 * History a point needs before it: a month of activity. The 90-day lookback may reach past the
 * data's start, as on any young database; a point that early would measure mostly cold starts.
 */
const HISTORY_DAYS = 30;

/**
 * Affinity backtest: at each point, the profiles as of then against what each user liked,
 * commented on or shared in the next 7 days: recall@10 of those posts' creators and topics
 * (a user without a profile scores 0) and coverage (users with an outcome who had a profile).
 * Baseline "decayed frequency": creators and post tags ranked by a decayed count of the
 * user's actions before the point.
 */
export const affinityEvaluator: Evaluator = {
  job: affinityJob.name,
  horizonHours: HORIZON_HOURS,
  historyDays: HISTORY_DAYS,
  async evaluate(db, { overrides, points, log }) {
    const tally = new RecallTally();
    for (const point of points) {
      const outcomes = await readOutcomes(db.prisma, point);
      const rankings = await profilesAsOf(db, point, overrides, outcomes, log);
      tally.add(outcomes, (userId) => rankings.get(userId));
      log(
        `affinity: ${point.asOf.toISOString()}: ${rankings.size}/${outcomes.size} users with an outcome had a profile`,
      );
    }
    return tally.measurements(chooseAlgorithm(affinityJob, overrides).version);
  },
  async baselines(db, { points }) {
    const tally = new RecallTally();
    for (const point of points) {
      const outcomes = await readOutcomes(db.prisma, point);
      const rankings = await decayedFrequency(db.prisma, point, [...outcomes.keys()]);
      tally.add(outcomes, (userId) => rankings.get(userId));
    }
    return tally.measurements("baseline: decayed frequency");
  },
};
