import { DAY, EVENT_TYPES, type EventType, HOUR, MINUTE, WINDOW_DAYS } from "./constants.ts";
import { attraction, type SocialGraph } from "./graph.ts";
import type { Person } from "./population.ts";
import type { Rng } from "./random.ts";

const T = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;

export interface ProfileEvent {
  actor: number;
  type: number;
  target: number;
  at: number;
}

/** Whether `target` has a visible profile at `at`. */
const visible = (target: Person, at: number) =>
  target.createdAt <= at && at <= (target.deactivatedAt ?? target.deletedAt ?? at);

/**
 * Events about people rather than posts, sorted by time: profile views (of the people one
 * is into, of one's admirers, of strangers nearby), likes of the people one is into, and rare
 * hides, blocks and reports of
 * users, blocks aimed mostly at unwanted admirers.
 */
export function planProfileEvents(
  rng: Rng,
  people: readonly Person[],
  graph: SocialGraph,
  now: number,
): ProfileEvent[] {
  const out: ProfileEvent[] = [];
  const windowStart = now - WINDOW_DAYS * DAY;
  for (const u of people) {
    if (u.lastActiveAt === null) continue;
    const lo = Math.max(u.createdAt, windowStart);
    const hi = u.lastActiveAt;
    if (hi <= lo) continue;
    const when = () => Math.floor(hi - (hi - lo) * rng.float() ** 1.3);
    const follows = graph.follows[u.index] ?? [];
    const admirers = graph.followers[u.index] ?? [];
    const nearby = graph.byCity[u.city] ?? [];
    const stranger = (): number => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const v = people[rng.pick(nearby)];
        if (v && v.index !== u.index && rng.chance(attraction(u, v) + 0.1)) return v.index;
      }
      return -1;
    };
    const push = (type: number, target: number, at: number) => {
      const t = people[target];
      if (t && target !== u.index && at >= lo && at <= hi && visible(t, at)) {
        out.push({ actor: u.index, type, target, at });
      }
    };

    const views = rng.poisson(rng.lognormal(3.2, 0.8));
    for (let k = 0; k < views; k++) {
      const r = rng.float();
      const target =
        r < 0.45 && follows.length > 0
          ? rng.pick(follows)
          : r < 0.6 && admirers.length > 0
            ? rng.pick(admirers)
            : stranger();
      if (target >= 0) push(T.PROFILE_VIEW, target, when());
    }
    // Profile likes: most of the people one is into (mutual likes are mutual attraction).
    for (const v of follows) {
      if (!rng.chance(0.7)) continue;
      const at = when();
      push(T.PROFILE_VIEW, v, Math.floor(at - rng.exponential(2 * MINUTE)));
      push(T.LIKE, v, at);
    }
    if (rng.chance(0.06) && nearby.length > 1) {
      const target = admirers.length > 0 && rng.chance(0.6) ? rng.pick(admirers) : rng.pick(nearby);
      const at = when();
      push(T.PROFILE_VIEW, target, Math.floor(at - rng.exponential(HOUR)));
      push(T.BLOCK, target, at);
      if (rng.chance(0.25)) push(T.REPORT, target, at + 1000);
    }
    if (rng.chance(0.08) && nearby.length > 1) push(T.HIDE, rng.pick(nearby), when());
    if (rng.chance(0.015) && nearby.length > 1) push(T.REPORT, rng.pick(nearby), when());
  }
  return out.sort((a, b) => a.at - b.at);
}
