import { DAY, MINUTE, WINDOW_DAYS } from "./constants.ts";
import type { SocialGraph } from "./graph.ts";
import type { MessageRow } from "./insert.ts";
import type { Person } from "./population.ts";
import type { Rng } from "./random.ts";
import { TASTE_MODEL, tasteAttraction } from "./tastes.ts";

/** Until when `p` can send or receive: their last activity, departure, or `now`. */
const reachableUntil = (p: Person, now: number) =>
  Math.min(now, p.deactivatedAt ?? now, p.deletedAt ?? now);

/**
 * Conversations along the social graph: mutual pairs often talk back and forth, in sessions
 * that recur while their tastes keep them interested; one-sided interest mostly ends in an
 * unanswered opener or two. Replies take from minutes to days; nobody writes after `now` or after their last activity. Sorted by time.
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
      // A conversation comes in sessions: the better the taste match, the likelier it picks up
      // again after a pause, so a recent message predicts more to come.
      const again = TASTE_MODEL.conversationContinue * tasteAttraction(u.taste, v.taste);
      for (let session = 0; session === 0 || (mutual && rng.chance(again)); session++) {
        if (session > 0) t += pause(rng);
        const end = talk(rng, out, [first, second], t, mutual, now);
        if (end === null) break;
        t = end;
      }
    }
  }
  return out.sort((a, b) => a.sentAt - b.sentAt);
}

/** The pause before a conversation's next session: mostly days, sometimes weeks. */
function pause(rng: Rng): number {
  const { longPauseShare, longPauseDays, sessionGapDays } = TASTE_MODEL;
  return rng.exponential((rng.chance(longPauseShare) ? longPauseDays : sessionGapDays) * DAY);
}

/**
 * One session of messages from `t` on; returns when it ended, or null when someone was no
 * longer around to continue.
 */
function talk(
  rng: Rng,
  out: MessageRow[],
  [first, second]: [Person, Person],
  start: number,
  mutual: boolean,
  now: number,
): number | null {
  let t = start;
  const count = mutual ? 2 + rng.geometric(5) : 1 + (rng.chance(0.35) ? 1 : 0);
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
    if (at > senderUntil || at > reachableUntil(recipient, now) || at < sender.createdAt) {
      return null;
    }
    out.push({ sender: sender.index, recipient: recipient.index, sentAt: at });
    if (!mutual && sender === second) return null; // a polite reply, then silence
  }
  return t;
}
