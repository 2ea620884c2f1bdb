/** Shared constants of the demo-data generator. */

/** Length of every quiz answer vector. */
export const QUIZ_DIMENSIONS = 16;

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Posts and engagement events lie in the last WINDOW_DAYS days before `now`. */
export const WINDOW_DAYS = 90;

export const WOMAN = 0;
export const MAN = 1;
export const NONBINARY = 2;
export const GENDERS = ["WOMAN", "MAN", "NONBINARY"] as const;

export const GOALS = ["LONG_TERM", "SHORT_TERM", "FRIENDSHIP", "CASUAL", "UNSURE"] as const;
export type Goal = (typeof GOALS)[number];

export const POST_TYPES = ["PHOTO", "TEXT", "POLL", "VIDEO"] as const;

export const EVENT_TYPES = [
  "IMPRESSION",
  "SEEN",
  "LIKE",
  "COMMENT",
  "SHARE",
  "PROFILE_VIEW",
  "HIDE",
  "BLOCK",
  "REPORT",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
