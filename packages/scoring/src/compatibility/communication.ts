import { daysBetween, halfLifeDecay, saturate } from "./curves.ts";
import { DEFAULT_COMPATIBILITY_PARAMS } from "./defaults.ts";
import type { CompatibilityParams, PairActivity, ReplyLatencies } from "./types.ts";

export interface CommunicationFactor {
  readonly value: number;
  readonly sent: number;
  readonly received: number;
  readonly volume: number;
  readonly balance: number;
  readonly replies: number;
  readonly medianReplyMinutes: number | null;
  readonly replyConsistency: number | null;
  readonly responsiveness: number;
  readonly daysSinceLastMessage: number | null;
  readonly recency: number;
}

/** min/max of the two directions: 1 for an even thread, 0 for a one-sided one (or none). */
export function messageBalance(sent: number, received: number): number {
  const larger = Math.max(sent, received);
  return larger === 0 ? 0 : Math.min(sent, received) / larger;
}

/**
 * Fast and consistent replies score high: speed halves every `replyHalfLifeHours` of median
 * latency; consistency (first quartile / third quartile, 1 when all replies take as long)
 * decides `consistencyShare` of it (by default half: erratic replies keep half the speed's
 * value). No reply at all: 0 (latency undefined, nothing to reward).
 */
export function responsiveness(
  replies: ReplyLatencies,
  replyHalfLifeHours: number,
  consistencyShare = DEFAULT_COMPATIBILITY_PARAMS.replyConsistencyShare,
): { value: number; consistency: number | null } {
  if (replies.count === 0 || replies.medianSeconds === null) return { value: 0, consistency: null };
  const p25 = replies.p25Seconds ?? replies.medianSeconds;
  const p75 = replies.p75Seconds ?? replies.medianSeconds;
  const consistency = p75 === 0 ? 1 : p25 / p75;
  const speed = halfLifeDecay(replies.medianSeconds / 3600, replyHalfLifeHours);
  return { value: speed * (1 - consistencyShare + consistencyShare * consistency), consistency };
}

/**
 * Message volume both ways (saturating) times a blend of balance, responsiveness and recency
 * of the last message. No messages: 0.
 */
export function communication(
  activity: PairActivity,
  now: Date,
  params: CompatibilityParams,
): CommunicationFactor {
  const sent = activity.messagesSent;
  const received = activity.messagesReceived;
  const volume = saturate(sent + received, params.saturation.messages);
  const balance = messageBalance(sent, received);
  const replying = responsiveness(
    activity.replies,
    params.replyHalfLifeHours,
    params.replyConsistencyShare,
  );
  const age = activity.lastMessageAt ? daysBetween(activity.lastMessageAt, now) : null;
  const recency = age === null ? 0 : halfLifeDecay(age, params.recencyHalfLifeDays);
  const parts = params.communicationParts;
  const blend =
    parts.balance * balance + parts.responsiveness * replying.value + parts.recency * recency;
  const median = activity.replies.medianSeconds;
  return {
    value: volume * blend,
    sent,
    received,
    volume,
    balance,
    replies: activity.replies.count,
    medianReplyMinutes: median === null ? null : median / 60,
    replyConsistency: replying.consistency,
    responsiveness: replying.value,
    daysSinceLastMessage: age,
    recency,
  };
}
