import type { CompatibilityParams } from "./types.ts";

/** The algorithm's defaults; the job's config schema declares these as its defaults. */
export const DEFAULT_COMPATIBILITY_PARAMS: CompatibilityParams = {
  weights: { communication: 0.4, interaction: 0.25, mutualInterest: 0.2, trajectory: 0.15 },
  actionWeights: { like: 1, comment: 2, share: 2, profileView: 0.5 },
  communicationParts: { balance: 0.35, responsiveness: 0.35, recency: 0.3 },
  replyConsistencyShare: 0.5,
  exposureShare: 0.1,
  seenAsImpressions: 2,
  saturation: { messages: 20, actions: 10, exposures: 50, topicEngagements: 10, interactions: 10 },
  replyHalfLifeHours: 6,
  recencyHalfLifeDays: 14,
  hidePenalty: 0.8,
  hideHalfLifeDays: 180,
  lookbackDays: 90,
  recentDays: 30,
};
