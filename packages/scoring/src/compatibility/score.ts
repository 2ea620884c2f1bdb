import { type CommunicationFactor, communication } from "./communication.ts";
import { round4 } from "./curves.ts";
import { type HidePenalty, hidePenalty } from "./hides.ts";
import { type InteractionFactor, interactionHistory } from "./interaction.ts";
import { type MutualInterestFactor, mutualInterest } from "./mutual-interest.ts";
import { type TrajectoryFactor, trajectory } from "./trajectory.ts";
import type { CompatibilityParams, PairActivity, TopicProfile } from "./types.ts";
import { validateActivity } from "./validate.ts";

/** Why a pair is in scope: it has messages, mutual engagement, or is one of the viewer's top suggestions. */
export type ScopeReason = "messages" | "mutual_engagement" | "suggestion";

export interface CompatibilityInput {
  readonly scope: readonly ScopeReason[];
  readonly activity: PairActivity;
  readonly viewerTopics: TopicProfile;
  readonly targetTopics: TopicProfile;
}

/** A factor without any input, recorded as its value alone (most suggestions never talked). */
export interface NoInput {
  readonly value: 0;
}

const NO_INPUT: NoInput = { value: 0 };

/**
 * The `factors` column: every factor with its raw inputs, numbers rounded to 4 decimals; a
 * factor without any input is `{ value: 0 }`, and `hides` appears only when there are hides.
 */
export interface CompatibilityFactors {
  readonly scope: readonly ScopeReason[];
  readonly communication: CommunicationFactor | NoInput;
  readonly interaction: InteractionFactor | NoInput;
  readonly mutualInterest: MutualInterestFactor | NoInput;
  readonly trajectory: TrajectoryFactor | NoInput;
  readonly hides?: HidePenalty;
}

export interface Compatibility {
  /** In [0, 1]. */
  readonly score: number;
  readonly factors: CompatibilityFactors;
}

const total = (counts: object) =>
  Object.values(counts).reduce((sum: number, n: number) => sum + n, 0);

/**
 * The weighted mean of the four factors, times the hide penalty. Throws
 * {@link InvalidActivityError} on inputs the pair cannot be scored from.
 */
export function scoreCompatibility(
  input: CompatibilityInput,
  now: Date,
  params: CompatibilityParams,
): Compatibility {
  const a = input.activity;
  validateActivity(a, now);
  const talk = communication(a, now, params);
  const acts = interactionHistory(a, params);
  const topics = mutualInterest(input.viewerTopics, input.targetTopics, params);
  const course = trajectory(a, params);
  const hides = hidePenalty(a, now, params);
  const w = params.weights;
  const weighted =
    w.communication * talk.value +
    w.interaction * acts.value +
    w.mutualInterest * topics.value +
    w.trajectory * course.value;
  const totalWeight = w.communication + w.interaction + w.mutualInterest + w.trajectory;
  const score = (weighted / totalWeight) * hides.multiplier;
  const factors: CompatibilityFactors = {
    scope: input.scope,
    communication: a.messagesSent + a.messagesReceived > 0 ? talk : NO_INPUT,
    ...sharedFactors(a, { acts, topics, course, hides }),
  };
  // Each factor is in [0, 1]; the clamp only absorbs floating-point error (a cosine of 1 + 1e-16).
  return { score: Math.min(1, Math.max(0, score)), factors: roundNumbers(factors) };
}

/** The factors every version shares, as recorded in `factors` (`{ value: 0 }` without input). */
export interface SharedFactors {
  readonly interaction: InteractionFactor | NoInput;
  readonly mutualInterest: MutualInterestFactor | NoInput;
  readonly trajectory: TrajectoryFactor | NoInput;
  readonly hides?: HidePenalty;
}

/** Records the shared factors: a factor without any input as `{ value: 0 }`, hides only when any. */
export function sharedFactors(
  a: PairActivity,
  f: {
    acts: InteractionFactor;
    topics: MutualInterestFactor;
    course: TrajectoryFactor;
    hides: HidePenalty;
  },
): SharedFactors {
  const interacted =
    total(a.actionsGiven) +
      total(a.actionsReceived) +
      total(a.exposureGiven) +
      total(a.exposureReceived) >
    0;
  return {
    interaction: interacted ? f.acts : NO_INPUT,
    mutualInterest:
      f.topics.viewerTopicEngagements > 0 && f.topics.targetTopicEngagements > 0
        ? f.topics
        : NO_INPUT,
    trajectory: f.course.growth === null ? NO_INPUT : f.course,
    ...(f.hides.hides > 0 ? { hides: f.hides } : {}),
  };
}

/** Rounds every number in a plain JSON-like value (for a readable, compact `factors`). */
export function roundNumbers<T>(value: T): T {
  if (typeof value === "number") return round4(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(roundNumbers) as T;
  const rounded: Record<string, unknown> = {};
  for (const key in value) rounded[key] = roundNumbers(value[key]);
  return rounded as T;
}
