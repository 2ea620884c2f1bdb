import { DAY, HOUR, WINDOW_DAYS } from "./constants.ts";
import type { Person } from "./population.ts";
import type { Rng } from "./random.ts";
import { TAGS } from "./vocabulary.ts";

export const PHOTO = 0;
export const TEXT = 1;
export const POLL = 2;
export const VIDEO = 3;

export const STYLE_PLAIN = 0;
export const STYLE_EMPTY = 1;
export const STYLE_SHOUTY = 2;
export const STYLE_LINK = 3;
export const STYLE_EMOJI = 4;
export const STYLE_PROFANE = 5;

/** A post before its text is written: what the engagement model needs. */
export interface PostPlan {
  id: string;
  author: number;
  type: number;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  /** Main interest (TAGS index) the post is about, or -1. */
  tag: number;
  /** Other interests of the author the post is tagged with. */
  extraTags: number[];
  mediaCount: number;
  style: number;
  /** Engagement multiplier (log-normal around 1; viral posts far above). */
  quality: number;
  /** How likely viewers are to report it (profane, shouty and link posts attract reports). */
  reportiness: number;
}

const TYPE_WEIGHTS = [55, 25, 8, 12]; // PHOTO, TEXT, POLL, VIDEO
const PHOTO_COUNT_WEIGHTS = [50, 20, 12, 10, 8]; // 1..5 photos
const GLOBAL_TAG_WEIGHTS = TAGS.map((_, rank) => 1 / (rank + 1) ** 0.85);

/** A busy stretch before `now`: the last `hours` hold at least `posts` posts. */
export interface RecentPosts {
  posts: number;
  hours: number;
}

/**
 * Each author's posts (see Person.postCount: heavy-tailed, many write none or one), spread
 * over the part of the last 90 days the author was around, denser towards the recent end;
 * with `recent`, more posts in its last hours (see planRecentPosts). Ids are given in
 * creation order.
 */
export function planPosts(
  rng: Rng,
  people: readonly Person[],
  now: number,
  recent?: RecentPosts,
): PostPlan[] {
  const windowStart = now - WINDOW_DAYS * DAY;
  const plans: PostPlan[] = [];
  for (const author of people) {
    if (author.postCount <= 0 || author.lastActiveAt === null) continue;
    const count = author.postCount;
    const lo = Math.max(author.createdAt, windowStart);
    const hi = Math.min(author.lastActiveAt, now);
    for (let k = 0; k < count; k++) {
      plans.push(planOne(rng, author, Math.floor(hi - (hi - lo) * rng.float() ** 1.35), now));
    }
  }
  if (recent) plans.push(...planRecentPosts(rng.fork("recent-posts"), people, now, plans, recent));
  plans.sort((a, b) => a.createdAt - b.createdAt || a.author - b.author);
  const width = Math.max(7, String(plans.length).length);
  plans.forEach((plan, i) => {
    plan.id = `p${String(i + 1).padStart(width, "0")}`;
  });
  return plans;
}

/**
 * The posts that lift the last `recent.hours` to `recent.posts` posts (the trending job's
 * window under load): each by someone active then who posts at all, drawn in proportion to
 * how much they post anyway (heavy-tailed, as the rest), at a uniform time between the
 * window's start (or their sign-up) and their last activity.
 */
function planRecentPosts(
  rng: Rng,
  people: readonly Person[],
  now: number,
  planned: readonly PostPlan[],
  recent: RecentPosts,
): PostPlan[] {
  const start = now - recent.hours * HOUR;
  const missing = recent.posts - planned.filter((p) => p.createdAt > start).length;
  const authors = people.filter(
    (p) => p.postCount > 0 && p.lastActiveAt !== null && p.lastActiveAt > start,
  );
  if (missing <= 0 || authors.length === 0) return [];
  const cumulative: number[] = [];
  let total = 0;
  for (const author of authors) {
    total += author.postCount;
    cumulative.push(total);
  }
  const plans: PostPlan[] = [];
  for (let k = 0; k < missing; k++) {
    const author = authors[firstAbove(cumulative, rng.float() * total)] as Person;
    const lo = Math.max(author.createdAt, start) + 1;
    const hi = Math.min(author.lastActiveAt ?? now, now);
    plans.push(planOne(rng, author, Math.floor(lo + (hi - lo) * rng.float()), now));
  }
  return plans;
}

/** Index of the first value above `x` in an ascending list (binary search). */
function firstAbove(ascending: readonly number[], x: number): number {
  let lo = 0;
  let hi = ascending.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ascending[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function planOne(rng: Rng, author: Person, createdAt: number, now: number): PostPlan {
  const type = rng.weighted(TYPE_WEIGHTS);
  const interests = author.interests;
  let tag = -1;
  if (interests.length > 0) tag = rng.pick(interests);
  else if (rng.chance(0.7)) tag = rng.weighted(GLOBAL_TAG_WEIGHTS);
  const extraTags: number[] = [];
  const extra = interests.length > 1 ? rng.weighted([45, 35, 20]) : 0;
  for (let k = 0; k < extra; k++) {
    const t = rng.pick(interests);
    if (t !== tag && !extraTags.includes(t)) extraTags.push(t);
  }

  const r = rng.float();
  let style = STYLE_PLAIN;
  const visual = type === PHOTO || type === VIDEO;
  if (visual && r < 0.12) style = STYLE_EMPTY;
  else if (type === TEXT && r < 0.01) style = STYLE_EMPTY;
  else if (r > 0.97) style = STYLE_SHOUTY;
  else if (r > 0.93) style = STYLE_LINK;
  else if (r > 0.9 && type !== POLL) style = STYLE_EMOJI;
  else if (r > 0.875) style = STYLE_PROFANE;

  const viral = rng.chance(0.004);
  const quality = rng.lognormal(1, 0.35) * (viral ? rng.range(8, 30) : 1);
  const reportiness =
    style === STYLE_PROFANE ? 10 : style === STYLE_SHOUTY || style === STYLE_LINK ? 3 : 1;

  const edited = rng.chance(0.15);
  const updatedAt = edited
    ? Math.min(now, Math.floor(createdAt + rng.exponential(6 * HOUR)))
    : createdAt;
  const deleted = rng.chance(0.01);
  const deletedAt = deleted
    ? Math.min(now, Math.max(updatedAt, Math.floor(createdAt + rng.exponential(3 * DAY))))
    : null;
  return {
    id: "",
    author: author.index,
    type,
    createdAt,
    updatedAt,
    deletedAt,
    tag,
    extraTags,
    mediaCount: type === PHOTO ? 1 + rng.weighted(PHOTO_COUNT_WEIGHTS) : type === VIDEO ? 1 : 0,
    style,
    quality,
    reportiness,
  };
}
