import type { MatchScoringConfig } from "@feed-jobs/scoring/match";
import {
  DEFAULT_REASON_MIN_VALUE,
  DEFAULT_DEMOGRAPHIC_PARAMS as DEMOGRAPHIC,
  KM_PER_MILE,
  DEFAULT_MATCH_V3_PARAMS as V3,
} from "@feed-jobs/scoring/match";
import { z } from "zod";
import type { Clock } from "./sql.ts";

const positive = z.number().positive();
const weight = z.number().nonnegative();
const share = z.number().min(0).max(1);
const count = z.number().int().positive();

export const matchScoresConfig = z
  .strictObject({
    /** Viewers per batch (`--batch-size`); each batch is written in one transaction. Default 100. */
    batchSize: count.default(100),
    /**
     * Viewers per shard of a full run (neighbours in place order: whom they seek, then latitude);
     * each shard may run on another worker and holds only the population its viewers can reach.
     * Default 5000.
     */
    shardSize: count.default(5000),
    /** Candidates kept per viewer (the feed reads the top 200). Default 200. */
    topK: count.default(200),
    /**
     * Most candidates scored per viewer: a larger filtered pool is first narrowed to this many
     * by quiz nearest neighbours. Default 1000.
     */
    poolCap: count.default(1000),
    /** A list older than this is recomputed by an incremental run; at most 7 days. Default 24. */
    ttlHours: positive.max(168).default(24),
    /** Users not active for this many days are neither scored nor shown. Default 30. */
    inactiveAfterDays: positive.default(30),
    /** A location change counts (for incremental runs) from this distance on. Default 50. */
    locationChangeMiles: positive.default(50),
    /** Weight of quiz compatibility. Default 0.35. */
    quizWeight: weight.default(0.35),
    /** Weight of interest overlap. Default 0.25. */
    interestWeight: weight.default(0.25),
    /** Weight of geographic proximity. Default 0.15. */
    proximityWeight: weight.default(0.15),
    /** Weight of demographic alignment (age fit, relationship goal). Default 0.15. */
    demographicWeight: weight.default(0.15),
    /** Weight of mutual soft preferences. Default 0.1. */
    preferenceWeight: weight.default(0.1),
    /** What a factor without evidence (no quiz, no interests, …) counts as. Default 0.25. */
    missingFactorValue: share.default(0.25),
    /** The demographic factor's constants. */
    demographic: z
      .strictObject({
        /** Age fit a full range-width from the user's own age (1 at it). Default 0.5. */
        ageFitFloor: share.default(DEMOGRAPHIC.ageFitFloor),
        /** Share of the factor goal compatibility takes when both goals are known. Default 0.5. */
        goalShare: share.default(DEMOGRAPHIC.goalShare),
        /** Confidence of age fit alone, when either goal is missing. Default 0.5. */
        ageOnlyConfidence: share.default(DEMOGRAPHIC.ageOnlyConfidence),
        /** Compatibility of different goals (the same goal 1, other pairs 0). */
        goalCompatibility: z
          .strictObject({
            /** Either user is unsure. Default 0.5. */
            unsure: share.default(DEMOGRAPHIC.goalCompatibility.unsure),
            /** Casual with short-term. Default 0.5. */
            casualShortTerm: share.default(DEMOGRAPHIC.goalCompatibility.casualShortTerm),
            /** Long-term with short-term. Default 0.25. */
            longTermShortTerm: share.default(DEMOGRAPHIC.goalCompatibility.longTermShortTerm),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * match-v3's constants (`--algorithm match-v3`); match-v2 ignores them. match-v3 shares the
     * other scoring keys (proximity, hides, reasons, `demographic.goalCompatibility`).
     */
    v3: z
      .strictObject({
        /** Relative factor weights (a positive sum). Default quiz 0.3, interests 0.2, proximity 0.15, demographic 0.25, preferences 0.1. */
        weights: z
          .strictObject({
            quiz: weight.default(V3.weights.quiz),
            interests: weight.default(V3.weights.interests),
            proximity: weight.default(V3.weights.proximity),
            demographic: weight.default(V3.weights.demographic),
            preferences: weight.default(V3.weights.preferences),
          })
          .prefault({})
          .refine((w) => Object.values(w).some((x) => x > 0), {
            message: "at least one v3 weight must be positive",
          }),
        /** What a factor without evidence counts as; above 0 a missing input can beat a real one. Default 0. */
        missingValue: share.default(V3.missingValue),
        /** Years from a user's ideal age at which their side's age fit is 0.61 (Gaussian). Default 5. */
        ageScaleYears: positive.default(V3.ageScaleYears),
        /** Share of the demographic factor goal compatibility takes (unknown without both goals). Default 0.1. */
        goalShare: share.default(V3.goalShare),
      })
      .prefault({}),
    /** Quiz and proximity give a reason code from this factor value up. Default 0.6. */
    reasonMinValue: share.default(DEFAULT_REASON_MIN_VALUE),
    /** Distance at which proximity falls to 0.5. Default 25 km. */
    proximityHalfDistanceKm: positive.default(25),
    /** Share of the score a fresh hide of the candidate by the viewer removes. Default 0.7. */
    hidePenalty: share.default(0.7),
    /** Days for a hide's penalty to halve (a long decay). Default 90. */
    hideHalfLifeDays: positive.default(90),
    /** Reason codes kept per candidate. Default 5. */
    maxReasons: z.number().int().nonnegative().default(5),
    /**
     * How pools are found and narrowed. "memory": the whole eligible population is read once
     * and filtered and narrowed in the job (no query per batch). "exact": a filtered query per
     * batch, large pools ranked by quiz similarity in the job. "auto": memory for runs of at
     * least `inMemoryFromViewers` viewers, else the query, narrowed by pgvector where the
     * database has it. Every way gives the same lists. Default "auto".
     */
    candidateSearch: z.enum(["auto", "exact", "memory"]).default("auto"),
    /** Viewers from which an "auto" run reads the population into memory. Default 2000. */
    inMemoryFromViewers: count.default(2000),
    /** Candidates a dry run prints per viewer. Default 10. */
    topN: count.default(10),
  })
  .refine(
    (c) =>
      c.quizWeight +
        c.interestWeight +
        c.proximityWeight +
        c.demographicWeight +
        c.preferenceWeight >
      0,
    { message: "at least one factor weight must be positive" },
  );

export type MatchScoresConfig = z.infer<typeof matchScoresConfig>;

const MS_PER_DAY = 86_400_000;

/** A run's clock as the queries need it, at `now`. */
export function clockOf(now: Date, config: MatchScoresConfig): Clock {
  return {
    now,
    today: now.toISOString().slice(0, 10),
    activeSince: new Date(now.getTime() - config.inactiveAfterDays * MS_PER_DAY),
  };
}

export const moveKm = (c: MatchScoresConfig) => c.locationChangeMiles * KM_PER_MILE;

export function scoringConfig(c: MatchScoresConfig): MatchScoringConfig {
  return {
    weights: {
      quiz: c.quizWeight,
      interests: c.interestWeight,
      proximity: c.proximityWeight,
      demographic: c.demographicWeight,
      preferences: c.preferenceWeight,
    },
    missingFactorValue: c.missingFactorValue,
    proximityHalfDistanceKm: c.proximityHalfDistanceKm,
    hidePenalty: c.hidePenalty,
    hideHalfLifeDays: c.hideHalfLifeDays,
    maxReasons: c.maxReasons,
    demographic: c.demographic,
    reasonMinValue: c.reasonMinValue,
  };
}
