import { DAY, MINUTE, WINDOW_DAYS } from "./constants.ts";
import type { SocialGraph } from "./graph.ts";
import type { MessageRow } from "./insert.ts";
import type { Person } from "./population.ts";
import type { Rng } from "./random.ts";

/** Until when `p` can send or receive: their last activity, departure, or `now`. */
const reachableUntil = (p: Person, now: number) =>
  Math.min(now, p.deactivatedAt ?? now, p.deletedAt ?? now);

/**
 * Conversations along the social graph: mutual pairs often talk back and forth for a
 * while, one-sided interest mostly ends in an unanswered opener or two. Replies take from
 * minutes to days; nobody writes after `now` or after their last activity. Sorted by time.
 */
export function planMessages(
  rng: Rng,
  people: readonly Person[],
  graph: SocialGraph,
  now: number,
): MessageRow[] {
  const out: MessageRow[] = [];
  const windowStart = now - WINDOW_DAYS * DAY;
  for (const u of people) {
    for (const vi of graph.follows[u.index] ?? []) {
      const v = people[vi] as Person;
      const mutual = (graph.follows[vi] ?? []).includes(u.index);
      if (mutual && vi < u.index) continue; // each mutual pair once
      if (!rng.chance(mutual ? 0.6 : 0.15)) continue;
      const [first, second] = mutual && rng.chance(0.5) ? [v, u] : [u, v];
      if (first.lastActiveAt === null) continue;
      const lo = Math.max(first.createdAt, second.createdAt, windowStart);
      const hi = Math.min(first.lastActiveAt, reachableUntil(second, now));
      if (hi <= lo) continue;
      let t = lo + (hi - lo) * rng.float() ** 0.7;
      const count = mutual ? 2 + rng.geometric(9) : 1 + (rng.chance(0.35) ? 1 : 0);
      const replyChance = mutual ? 0.75 : 0.3;
      let sender = first;
      let recipient = second;
      for (let k = 0; k < count; k++) {
        if (k > 0) {
          if (rng.chance(replyChance)) {
            [sender, recipient] = [recipient, sender];
            t += Math.max(20_000, rng.lognormal(25 * MINUTE, 1.7));
          } else {
            t += Math.max(5_000, rng.lognormal(2 * MINUTE, 1.3));
          }
        }
        const at = Math.floor(t);
        const senderUntil = Math.min(sender.lastActiveAt ?? 0, reachableUntil(sender, now));
        if (at > senderUntil || at > reachableUntil(recipient, now) || at < sender.createdAt) break;
        out.push({ sender: sender.index, recipient: recipient.index, sentAt: at });
        if (!mutual && sender === second) break; // a polite reply, then silence
      }
    }
  }
  return out.sort((a, b) => a.sentAt - b.sentAt);
}
