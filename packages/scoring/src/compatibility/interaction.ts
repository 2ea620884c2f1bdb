import { saturate } from "./curves.ts";
import type { ActionCounts, CompatibilityParams, ExposureCounts, PairActivity } from "./types.ts";

export interface InteractionFactor {
  readonly value: number;
  readonly given: ActionCounts;
  readonly received: ActionCounts;
  readonly actionScore: number;
  readonly exposure: ExposureCounts;
  readonly exposureScore: number;
}

export function weightedActions(
  counts: ActionCounts,
  weights: CompatibilityParams["actionWeights"],
): number {
  return (
    counts.likes * weights.like +
    counts.comments * weights.comment +
    counts.shares * weights.share +
    counts.profileViews * weights.profileView
  );
}

/**
 * Actions both ways (weighted, saturating) fill `1 - exposureShare` of the factor; exposure
 * (impressions, seen) fills at most `exposureShare`, so no amount of scrolling past each
 * other's posts weighs like a like (seed "Signal Semantics").
 */
export function interactionHistory(
  activity: PairActivity,
  params: CompatibilityParams,
): InteractionFactor {
  const actions =
    weightedActions(activity.actionsGiven, params.actionWeights) +
    weightedActions(activity.actionsReceived, params.actionWeights);
  const exposure = {
    impressions: activity.exposureGiven.impressions + activity.exposureReceived.impressions,
    seen: activity.exposureGiven.seen + activity.exposureReceived.seen,
  };
  const actionScore = saturate(actions, params.saturation.actions);
  const exposureScore = saturate(
    exposure.impressions + params.seenAsImpressions * exposure.seen,
    params.saturation.exposures,
  );
  return {
    value: (1 - params.exposureShare) * actionScore + params.exposureShare * exposureScore,
    given: activity.actionsGiven,
    received: activity.actionsReceived,
    actionScore,
    exposure,
    exposureScore,
  };
}
