/** Relationship goals as stored on users (mirrors the RelationshipGoal enum of the schema). */
export type RelationshipGoal = "LONG_TERM" | "SHORT_TERM" | "FRIENDSHIP" | "CASUAL" | "UNSURE";

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** A quiz answer vector scaled to unit length, so cosine similarity is a dot product. */
export interface QuizVector {
  readonly unit: Float64Array;
}

/** What a user asks of a match (a user without a preferences row gets the schema defaults). */
export interface MatchWishes {
  readonly minAge: number;
  readonly maxAge: number;
  /** Attributes the user would like a match to have (soft). */
  readonly preferences: readonly string[];
  /** Attributes the user refuses outright (a hard filter, see `acceptEachOther`). */
  readonly dealbreakers: readonly string[];
}

/** The discovery inputs of one user: quiz, interests, preferences and place. No engagement. */
export interface MatchProfile {
  readonly id: string;
  /** Whole years at the run's clock; users without a birth date are never scored. */
  readonly age: number;
  readonly relationshipGoal: RelationshipGoal | null;
  readonly attributes: ReadonlySet<string>;
  readonly location: GeoPoint | null;
  readonly quiz: QuizVector | null;
  /** Interest tags, sorted and without duplicates. */
  readonly interests: readonly string[];
  readonly wishes: MatchWishes;
}

/** One factor of a pair: how good the match is (value) and how much of it is known (confidence). */
export interface Factor {
  readonly value: number;
  readonly confidence: number;
}

export const FACTOR_NAMES = [
  "quiz",
  "interests",
  "proximity",
  "demographic",
  "preferences",
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];
export type FactorWeights = Readonly<Record<FactorName, number>>;

export interface PairFactors extends Readonly<Record<FactorName, Factor>> {
  /** Great-circle distance, null when either location is unknown. */
  readonly distanceKm: number | null;
}

/** The demographic factor's constants (the defaults: {@link DEFAULT_DEMOGRAPHIC_PARAMS}). */
export interface DemographicParams {
  /** Age fit a full range-width from the user's own age; it falls linearly from 1 to this. */
  readonly ageFitFloor: number;
  /** Share of the factor goal compatibility takes when both goals are known (the rest: age fit). */
  readonly goalShare: number;
  /** Confidence of the factor when either goal is missing (age fit alone). */
  readonly ageOnlyConfidence: number;
  /** Compatibility of two different goals (the same goal: 1; any other pair: 0). */
  readonly goalCompatibility: {
    /** Either user is unsure. */
    readonly unsure: number;
    readonly casualShortTerm: number;
    readonly longTermShortTerm: number;
  };
}

export const DEFAULT_DEMOGRAPHIC_PARAMS: DemographicParams = {
  ageFitFloor: 0.5,
  goalShare: 0.5,
  ageOnlyConfidence: 0.5,
  goalCompatibility: { unsure: 0.5, casualShortTerm: 0.5, longTermShortTerm: 0.25 },
};

/**
 * match-v3's demographic constants: age fit in years whatever the stated range's width, and the
 * goal weighted by its evidence (see `demographicInYears`).
 */
export interface AgeInYearsParams {
  /** Years of gap from a user's ideal age at which their side's fit is e^(-1/2) (about 0.61). */
  readonly ageScaleYears: number;
  /** Share of the factor goal compatibility takes; unknown when either goal is missing. */
  readonly goalShare: number;
  readonly goalCompatibility: DemographicParams["goalCompatibility"];
}

/** Quiz and proximity count as a reason from this factor value up, by default. */
export const DEFAULT_REASON_MIN_VALUE = 0.6;

export interface MatchScoringConfig {
  readonly weights: FactorWeights;
  /** What a factor with no evidence counts as (confidence 0 → exactly this value). */
  readonly missingFactorValue: number;
  /** Distance at which proximity falls to 0.5. */
  readonly proximityHalfDistanceKm: number;
  /** Share of the score a hide removes on the day it happens. */
  readonly hidePenalty: number;
  /** Days for a hide's penalty to halve. */
  readonly hideHalfLifeDays: number;
  /** Most reasons kept per candidate (a hide code comes on top). */
  readonly maxReasons: number;
  /**
   * The demographic factor's constants; default {@link DEFAULT_DEMOGRAPHIC_PARAMS} (match-v2's
   * fit relative to the range's width). {@link AgeInYearsParams}: match-v3's fit in years.
   */
  readonly demographic?: DemographicParams | AgeInYearsParams;
  /** Quiz and proximity count as a reason from this value up; default 0.6. */
  readonly reasonMinValue?: number;
}
