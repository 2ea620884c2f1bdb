import {
  DEFAULT_COMPATIBILITY_PARAMS as D,
  DEFAULT_COMPATIBILITY_V2_PARAMS as V2,
} from "@feed-jobs/scoring/compatibility";
import { z } from "zod";
import { shardSizeOf } from "../shards.ts";

const positive = z.number().positive();
const weight = z.number().nonnegative();
const share = z.number().min(0).max(1);
const sumOf = (group: Record<string, number>) => Object.values(group).reduce((a, b) => a + b, 0);

/** The compatibility job's config; every key has a default (seed "Job 2: Compatibility Job"). */
export const compatibilityConfig = z
  .strictObject({
    /** Viewers per batch (one read, one write transaction each). Default 100 (seed). */
    batchSize: z.number().int().positive().default(100),
    /** Batches in flight on a PostgreSQL server (the embedded database: always 1). Default 2. */
    concurrency: z.number().int().positive().max(16).default(2),
    /** Viewers per shard of a full run (shards run one by one, or on many workers). Default 5000. */
    shardSize: shardSizeOf(5000),
    /** At most this many of a viewer's top MatchScore suggestions are scored. Default 50 (seed). */
    targetBatchSize: z.number().int().positive().default(50),
    /** Suggestions below this match score are not scored. Default 0.3 (seed). */
    minScoreThreshold: share.default(0.3),
    /** Messages and engagement older than this many days are ignored. Default 90. */
    lookbackDays: z.number().int().positive().default(D.lookbackDays),
    /** The trajectory's recent window in days; the earlier one is the rest of the lookback. Default 30. */
    recentDays: z.number().int().positive().default(D.recentDays),
    /** Relative factor weights (a positive sum). Default communication 0.4, interaction 0.25, mutualInterest 0.2, trajectory 0.15. */
    weights: z
      .strictObject({
        communication: weight.default(D.weights.communication),
        interaction: weight.default(D.weights.interaction),
        mutualInterest: weight.default(D.weights.mutualInterest),
        trajectory: weight.default(D.weights.trajectory),
      })
      .prefault({}),
    /** Interaction-history weight per action. Default like 1, comment 2, share 2, profileView 0.5. */
    actionWeights: z
      .strictObject({
        like: weight.default(D.actionWeights.like),
        comment: weight.default(D.actionWeights.comment),
        share: weight.default(D.actionWeights.share),
        profileView: weight.default(D.actionWeights.profileView),
      })
      .prefault({}),
    /** The communication blend's split (sums to 1). Default balance 0.35, responsiveness 0.35, recency 0.3. */
    communicationParts: z
      .strictObject({
        balance: weight.default(D.communicationParts.balance),
        responsiveness: weight.default(D.communicationParts.responsiveness),
        recency: weight.default(D.communicationParts.recency),
      })
      .prefault({})
      .refine((parts) => Math.abs(sumOf(parts) - 1) < 1e-9, {
        message: "communicationParts must sum to 1 (balance + responsiveness + recency)",
      }),
    /** Share of responsiveness that reply consistency decides (the rest: speed alone). Default 0.5. */
    replyConsistencyShare: share.default(D.replyConsistencyShare),
    /** Most of the interaction factor impressions and "seen" can fill. Default 0.1. */
    exposureShare: share.default(D.exposureShare),
    /** Impressions a "seen" (in the viewport) counts as in the exposure part. Default 2. */
    seenAsImpressions: weight.default(D.seenAsImpressions),
    /** Amount at which a factor reaches 0.63. Default messages 20, actions 10, exposures 50, topicEngagements 10, interactions 10. */
    saturation: z
      .strictObject({
        messages: positive.default(D.saturation.messages),
        actions: positive.default(D.saturation.actions),
        exposures: positive.default(D.saturation.exposures),
        topicEngagements: positive.default(D.saturation.topicEngagements),
        interactions: positive.default(D.saturation.interactions),
      })
      .prefault({}),
    /** A median reply this many hours slow halves responsiveness. Default 6. */
    replyHalfLifeHours: positive.default(D.replyHalfLifeHours),
    /** A last message this many days old halves recency. Default 14. */
    recencyHalfLifeDays: positive.default(D.recencyHalfLifeDays),
    /** Share of the score a fresh hide between the two takes away. Default 0.8. */
    hidePenalty: share.default(D.hidePenalty),
    /** A hide this many days old weighs half. Default 180. */
    hideHalfLifeDays: positive.default(D.hideHalfLifeDays),
    /** compatibility-v2's constants (`--algorithm compatibility-v2`); v1 ignores them. */
    v2: z
      .strictObject({
        /** Relative weights (a positive sum). Default recency 0.4, activity 0.3, interaction 0.15, mutualInterest 0.1, trajectory 0.05. */
        weights: z
          .strictObject({
            recency: weight.default(V2.weights.recency),
            activity: weight.default(V2.weights.activity),
            interaction: weight.default(V2.weights.interaction),
            mutualInterest: weight.default(V2.weights.mutualInterest),
            trajectory: weight.default(V2.weights.trajectory),
          })
          .prefault({})
          .refine((w) => sumOf(w) > 0, { message: "at least one v2 weight must be positive" }),
        /** A message this many days old counts half in the decayed message count. Default 14. */
        messageHalfLifeDays: positive.default(V2.messageHalfLifeDays),
        /** Decayed message count at which activity reaches 0.63. Default 5. */
        activitySaturation: positive.default(V2.activitySaturation),
        /** A last two-way contact this many days old halves recency. Default 7. */
        contactHalfLifeDays: positive.default(V2.contactHalfLifeDays),
      })
      .prefault({}),
    /** Topics kept per user's profile for mutual interest, strongest first. Default 20. */
    topicsPerUser: z.number().int().positive().default(20),
    /** Pairs a dry run prints, highest score first. Default 10. */
    topN: z.number().int().positive().default(10),
  })
  .refine((c) => c.recentDays < c.lookbackDays, {
    message: "recentDays must be shorter than lookbackDays",
    path: ["recentDays"],
  })
  .refine((c) => Object.values(c.weights).some((w) => w > 0), {
    message: "at least one factor weight must be positive",
    path: ["weights"],
  });

export type CompatibilityConfig = z.infer<typeof compatibilityConfig>;
