import type { ActionCounts, ExposureCounts, PairActivity } from "./types.ts";

/** Inputs a pair cannot be scored from (a count below zero, an event after now, …). */
export class InvalidActivityError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "InvalidActivityError";
  }
}

function count(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidActivityError(`${name} must be a whole number >= 0, got ${value}`);
  }
}

function notAfter(name: string, value: Date | null, now: Date): void {
  if (value && !(value.getTime() <= now.getTime())) {
    throw new InvalidActivityError(`${name} ${value.toISOString()} is after now`);
  }
}

function counts(prefix: string, values: ActionCounts | ExposureCounts): void {
  for (const [key, value] of Object.entries(values)) count(`${prefix}.${key}`, value);
}

/** Throws {@link InvalidActivityError} unless `activity` is something the SQL could have produced. */
export function validateActivity(activity: PairActivity, now: Date): void {
  count("messagesSent", activity.messagesSent);
  count("messagesReceived", activity.messagesReceived);
  count("replies.count", activity.replies.count);
  count("recentInteractions", activity.recentInteractions);
  count("earlierInteractions", activity.earlierInteractions);
  count("hides.count", activity.hides.count);
  counts("actionsGiven", activity.actionsGiven);
  counts("actionsReceived", activity.actionsReceived);
  counts("exposureGiven", activity.exposureGiven);
  counts("exposureReceived", activity.exposureReceived);
  notAfter("lastMessageAt", activity.lastMessageAt, now);
  notAfter("hides.lastAt", activity.hides.lastAt, now);
  const { p25Seconds, medianSeconds, p75Seconds } = activity.replies;
  const quartiles = [p25Seconds, medianSeconds, p75Seconds];
  if (activity.replies.count > 0 && quartiles.some((q) => q === null || !(q >= 0))) {
    throw new InvalidActivityError("replies need three quartiles >= 0");
  }
}
