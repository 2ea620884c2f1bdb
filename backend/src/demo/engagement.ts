import { DAY, EVENT_TYPES, type EventType, HOUR } from "./constants.ts";
import type { SocialGraph } from "./graph.ts";
import type { Person } from "./population.ts";
import type { PostPlan } from "./posts.ts";
import { VIDEO } from "./posts.ts";
import { planProfileEvents } from "./profile-events.ts";
import type { Rng } from "./random.ts";
import type { EventSink } from "./sink.ts";
import { topicMatch } from "./tastes.ts";
import { TAGS } from "./vocabulary.ts";

const T = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

export interface EngagementContext {
  rng: Rng;
  people: readonly Person[];
  graph: SocialGraph;
  posts: readonly PostPlan[];
  now: number;
  sink: EventSink;
  log: (message: string) => void;
}

/**
 * Streams the engagement log into `sink`: for every post (in creation order) a follower
 * audience plus a heavy-tailed reach drawn from the author's city and interests, arriving in
 * a burst after posting and decaying (a post's latent appeal, `quality`, scales both its reach
 * and its like rate, so early engagement predicts the next day's); whether a viewer likes or
 * comments follows their latent topic taste; impressions → seen → like/comment/share, with rare
 * hides and reports. Profile-level events (views, blocks, hides, reports of users) are
 * interleaved by time. No event precedes its post or follows `now`, the post's deletion,
 * the author's departure or the actor's last activity.
 */
export async function generateEngagement(ctx: EngagementContext): Promise<void> {
  const { rng, people, graph, posts, now, sink } = ctx;
  const profile = planProfileEvents(ctx.rng.fork("profile-events"), people, graph, now);
  const active = people.filter((p) => p.lastActiveAt !== null).map((p) => p.index);
  const reachCap = Math.max(3, Math.floor(active.length * 0.6));
  let next = 0;
  const emitProfileUntil = (t: number) => {
    while (next < profile.length && (profile[next]?.at ?? 0) <= t) {
      const e = profile[next++];
      if (e) sink.push(e.actor, e.type, -1, e.target, e.at);
    }
  };

  for (let pi = 0; pi < posts.length; pi++) {
    const post = posts[pi] as PostPlan;
    const author = people[post.author] as Person;
    emitProfileUntil(post.createdAt);
    const cutoff = Math.min(
      now,
      post.deletedAt ?? now,
      author.deactivatedAt ?? now,
      author.deletedAt ?? now,
    );
    // Each person reacts to a post once; drawn again, they only get shown it again.
    const reached = new Set<number>();
    const view = (actor: number, follower: boolean) => {
      const again = reached.has(actor);
      reached.add(actor);
      viewer(rng, sink, people[actor] as Person, author, post, pi, cutoff, follower, again);
    };

    for (const f of graph.followers[author.index] ?? []) if (rng.chance(0.7)) view(f, true);
    let reach = Math.round(
      rng.lognormal(14, 0.55) * post.quality * (post.type === VIDEO ? 1.3 : 1),
    );
    reach = Math.min(reach, reachCap);
    for (let r = 0; r < reach; r++) {
      const actor = pickActor(rng, graph, active, people, author, post);
      if (actor >= 0) view(actor, false);
    }
    if (sink.full) await sink.flush();
    if (pi > 0 && pi % 20_000 === 0) ctx.log(`  events: ${pi}/${posts.length} posts`);
  }
  emitProfileUntil(Number.POSITIVE_INFINITY);
  await sink.flush();
}

/** Someone likely to see the post: the author's city and interests first, anyone at times. */
function pickActor(
  rng: Rng,
  graph: SocialGraph,
  active: readonly number[],
  people: readonly Person[],
  author: Person,
  post: PostPlan,
): number {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = rng.float();
    const tag = post.tag;
    let pool: readonly number[] | undefined;
    if (tag >= 0 && r < 0.45) pool = graph.byCityTag[author.city * TAGS.length + tag];
    else if (r < 0.75) pool = graph.byCity[author.city];
    else if (tag >= 0 && r < 0.85) pool = graph.byTag[tag];
    if (!pool || pool.length === 0) pool = active;
    const candidate = rng.pick(pool);
    if (candidate === author.index) continue;
    // Feeds favour the people one is looking for.
    const viewer = people[candidate] as Person;
    if ((viewer.seeks >> author.gender) & 1 || rng.chance(0.5)) return candidate;
  }
  return -1;
}

/** Delay after posting: most of the audience arrives within hours, a tail over weeks. */
function delay(rng: Rng, follower: boolean): number {
  const r = rng.float();
  if (follower) return r < 0.8 ? rng.exponential(2 * HOUR) : rng.exponential(1.5 * DAY);
  if (r < 0.65) return rng.exponential(3 * HOUR);
  if (r < 0.93) return rng.exponential(1.5 * DAY);
  return rng.range(0, 30 * DAY);
}

function viewer(
  rng: Rng,
  sink: EventSink,
  actor: Person,
  author: Person,
  post: PostPlan,
  pi: number,
  cutoff: number,
  follower: boolean,
  again: boolean,
): void {
  if (actor.lastActiveAt === null) return;
  const limit = Math.min(cutoff, actor.lastActiveAt);
  const start = Math.floor(post.createdAt + SECOND + delay(rng, follower));
  if (start > limit || start < actor.createdAt) return;
  const emit = (type: number, at: number) => {
    const t = Math.floor(at);
    if (t <= limit) sink.push(actor.index, type, pi, author.index, t);
    return t <= limit;
  };
  emit(T.IMPRESSION, start);
  if (again) return;
  if (rng.chance(0.12)) emit(T.IMPRESSION, start + rng.exponential(DAY));
  // Latent topic taste, not the listed interests, decides how a viewer takes the post.
  const match = topicMatch(actor.taste, post.tag);
  const bond = follower ? 0.1 : 0;
  if (!rng.chance(0.55 + 0.2 * match + bond)) {
    if (rng.chance(0.015)) emit(T.HIDE, start + rng.range(2, 20) * SECOND);
    else if (rng.chance(0.002 * post.reportiness))
      emit(T.REPORT, start + rng.range(5, 120) * SECOND);
    return;
  }
  const seen = start + rng.range(2, 40) * SECOND;
  if (!emit(T.SEEN, seen)) return;
  const appeal = Math.min(2, Math.sqrt(post.quality));
  const likeP = Math.min(0.95, (0.35 + 0.5 * match + 2 * bond) * appeal);
  if (rng.chance(likeP)) emit(T.LIKE, seen + rng.exponential(40 * SECOND));
  else if (rng.chance(0.012)) emit(T.HIDE, seen + rng.range(1, 30) * SECOND);
  if (rng.chance((0.02 + 0.06 * match + 0.6 * bond) * appeal)) {
    emit(T.COMMENT, seen + 30 * SECOND + rng.exponential(6 * MINUTE));
  }
  if (rng.chance(0.025 * appeal)) emit(T.SHARE, seen + rng.exponential(3 * MINUTE));
  if (rng.chance(0.0015 * post.reportiness)) emit(T.REPORT, seen + rng.range(5, 300) * SECOND);
  // Curious about the author: a profile view (no post attached).
  const visit = Math.floor(seen + rng.exponential(5 * MINUTE));
  if (!follower && rng.chance(0.04) && visit <= limit) {
    sink.push(actor.index, T.PROFILE_VIEW, -1, author.index, visit);
  }
}
