import { daysBetween, halfLifeDecay, saturate } from "./curves.ts";
import { hidePenalty } from "./hides.ts";
import { interactionHistory } from "./interaction.ts";
import { mutualInterest } from "./mutual-interest.ts";
import {
  type CompatibilityInput,
  roundNumbers,
  type ScopeReason,
  type SharedFactors,
  sharedFactors,
} from "./score.ts";
import { trajectory } from "./trajectory.ts";
import type { CompatibilityParams } from "./types.ts";
import { InvalidActivityError, validateActivity } from "./validate.ts";

/** compatibility-v2's own constants (the job's config group `v2`). */
export interface CompatibilityV2Params {
  /** Relative weights; they need not sum to 1 (the score divides by their sum). */
  readonly weights: {
    readonly recency: number;
    readonly activity: number;
    readonly interaction: number;
    readonly mutualInterest: number;
    readonly trajectory: number;
  };
  /** Each message's weight in the decayed count halves every this many days. */
  readonly messageHalfLifeDays: number;
  /** Decayed message count at which activity reaches 1 - 1/e (about 0.63). */
  readonly activitySaturation: number;
  /** Days since the last two-way contact that halve recency. */
  readonly contactHalfLifeDays: number;
}

export const DEFAULT_COMPATIBILITY_V2_PARAMS: CompatibilityV2Params = {
  weights: {
    recency: 0.4,
    activity: 0.3,
    interaction: 0.15,
    mutualInterest: 0.1,
    trajectory: 0.05,
  },
  messageHalfLifeDays: 14,
  activitySaturation: 5,
  contactHalfLifeDays: 7,
};

/** When each of the two last wrote, and the pair's messages counted with decay (as of now). */
export interface MessageRecency {
  readonly lastSentAt: Date | null;
  readonly lastReceivedAt: Date | null;
  /** Σ 0.5^(age in days / messageHalfLifeDays) over the pair's messages in the lookback. */
  readonly decayedMessages: number;
}

export interface CompatibilityV2Input extends CompatibilityInput {
  readonly messages: MessageRecency;
}

/** v2's `factors` column: contact and activity in place of v1's communication. */
export interface CompatibilityV2Factors extends SharedFactors {
  readonly scope: readonly ScopeReason[];
  readonly contact: ContactFactor;
  readonly activity: ActivityFactor;
}

export interface CompatibilityV2 {
  /** In [0, 1]. */
  readonly score: number;
  readonly factors: CompatibilityV2Factors;
}

export interface ContactFactor {
  readonly value: number;
  readonly daysSinceTwoWayContact: number | null;
}

export interface ActivityFactor {
  readonly value: number;
  readonly decayedMessages: number;
}

/**
 * The last two-way contact: the later of the two last messages is only a contact once the
 * other has written too, so it is the earlier of the two. Null when either never wrote.
 */
export function lastTwoWayContact(m: MessageRecency): Date | null {
  if (!m.lastSentAt || !m.lastReceivedAt) return null;
  return new Date(Math.min(m.lastSentAt.getTime(), m.lastReceivedAt.getTime()));
}

/** Recency of the last two-way contact: 1 just now, halving every `contactHalfLifeDays`; none: 0. */
export function contactRecency(
  m: MessageRecency,
  now: Date,
  v2: CompatibilityV2Params,
): ContactFactor {
  const contact = lastTwoWayContact(m);
  const age = contact ? daysBetween(contact, now) : null;
  return {
    value: age === null ? 0 : halfLifeDecay(age, v2.contactHalfLifeDays),
    daysSinceTwoWayContact: age,
  };
}

/** Volume through the decayed count, saturating: each further message adds less. */
export function messageActivity(m: MessageRecency, v2: CompatibilityV2Params): ActivityFactor {
  return {
    value: saturate(m.decayedMessages, v2.activitySaturation),
    decayedMessages: m.decayedMessages,
  };
}

function validateMessages(m: MessageRecency, now: Date): void {
  if (!Number.isFinite(m.decayedMessages) || m.decayedMessages < 0) {
    throw new InvalidActivityError(
      `decayedMessages must be a finite count >= 0, got ${m.decayedMessages}`,
    );
  }
  for (const [name, at] of [
    ["lastSentAt", m.lastSentAt],
    ["lastReceivedAt", m.lastReceivedAt],
  ] as const) {
    if (at && at.getTime() > now.getTime()) {
      throw new InvalidActivityError(`${name} ${at.toISOString()} is after now`);
    }
  }
}

/**
 * compatibility-v2: the weighted mean of contact recency, decayed message activity and v1's
 * interaction, mutual-interest and trajectory factors, times v1's hide penalty. Throws
 * {@link InvalidActivityError} on inputs the pair cannot be scored from.
 */
export function scoreCompatibilityV2(
  input: CompatibilityV2Input,
  now: Date,
  params: CompatibilityParams,
  v2: CompatibilityV2Params,
): CompatibilityV2 {
  const a = input.activity;
  validateActivity(a, now);
  validateMessages(input.messages, now);
  const contact = contactRecency(input.messages, now, v2);
  const activity = messageActivity(input.messages, v2);
  const acts = interactionHistory(a, params);
  const topics = mutualInterest(input.viewerTopics, input.targetTopics, params);
  const course = trajectory(a, params);
  const hides = hidePenalty(a, now, params);
  const w = v2.weights;
  const weighted =
    w.recency * contact.value +
    w.activity * activity.value +
    w.interaction * acts.value +
    w.mutualInterest * topics.value +
    w.trajectory * course.value;
  const totalWeight = Object.values(w).reduce((sum, x) => sum + x, 0);
  const score = (weighted / totalWeight) * hides.multiplier;
  const factors: CompatibilityV2Factors = {
    scope: input.scope,
    contact,
    activity,
    ...sharedFactors(a, { acts, topics, course, hides }),
  };
  // Each part is in [0, 1]; the clamp only absorbs floating-point error.
  return { score: Math.min(1, Math.max(0, score)), factors: roundNumbers(factors) };
}
