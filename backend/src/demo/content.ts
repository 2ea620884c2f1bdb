import { EMOJI, EMOJI_ONLY, PHRASES, REACTIONS, WHEN } from "./phrases.ts";
import {
  POLL,
  type PostPlan,
  STYLE_EMOJI,
  STYLE_EMPTY,
  STYLE_LINK,
  STYLE_PROFANE,
  STYLE_SHOUTY,
  TEXT,
  VIDEO,
} from "./posts.ts";
import type { Rng } from "./random.ts";
import { CITIES, type City, TAGS } from "./vocabulary.ts";

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const GENERIC = [
  "Good morning from {city}!",
  "Long week. Finally the weekend.",
  "New profile pic, be honest.",
  "Thinking about getting a dog, convince me.",
  "Rainy day, staying in.",
  "Anyone else up this late?",
];

/** One natural sentence about an interest, set in the author's city. */
function sentence(rng: Rng, tag: number, city: City): string {
  const name = TAGS[tag];
  if (name === undefined) return rng.pick(GENERIC).replace("{city}", city.name);
  const ph = PHRASES[name];
  const did = rng.pick(ph.did).replace("{spot}", rng.pick(city.spots));
  switch (rng.int(0, 7)) {
    case 0:
      return `${cap(did)} this weekend, ${ph.highlight}!`;
    case 1:
      return `${cap(did)} with friends last night. ${rng.pick(REACTIONS)}`;
    case 2:
      return `Finally ${did}. ${rng.pick(REACTIONS)}`;
    case 3:
      return `Anyone in ${city.name} into ${ph.noun}? Looking for people to join ${rng.pick(WHEN)}.`;
    case 4:
      return `Can't stop thinking about ${ph.noun} lately. ${rng.pick(REACTIONS)}`;
    case 5:
      return `Sunday plans: ${ph.noun} and nothing else.`;
    case 6:
      return `Hot take: ${ph.noun} is underrated.`;
    default:
      return `${cap(did)} ${rng.pick(EMOJI)}`;
  }
}

function poll(rng: Rng, tag: number, other: number, city: City): string {
  const a = PHRASES[TAGS[tag] ?? "movies"]?.noun ?? "movies";
  const b = PHRASES[TAGS[other] ?? "music"]?.noun ?? "music";
  switch (rng.int(0, 2)) {
    case 0:
      return `Poll: ${a} or ${b} ${rng.pick(WHEN)}?`;
    case 1:
      return `Quick poll: best place for ${a} in ${city.name}?`;
    default:
      return `Which is better for a first date: ${a} or ${b}?`;
  }
}

function profane(rng: Rng, tag: number, city: City): string {
  const ph = PHRASES[TAGS[tag] ?? "music"] ?? PHRASES.music;
  const did = rng.pick(ph.did).replace("{spot}", rng.pick(city.spots));
  return rng.pick([
    `Damn, ${did} and it was the ${ph.highlight}.`,
    `Hell yeah, ${did}!`,
    `${cap(did)} and got soaked. Crap.`,
    `WTF, who schedules ${ph.noun} at 7am?`,
    `That ${ph.noun} was bloody brilliant, no bullshit.`,
  ]);
}

function link(rng: Rng, plan: PostPlan, city: City): string {
  const noun = (TAGS[plan.tag] ?? "events").replace("_", "-");
  return rng.pick([
    `https://youtu.be/${rng.token(11)}`,
    `https://www.meetup.com/${city.slug}-${noun}-club/`,
    `https://example.com/blog/${noun}-${rng.int(100, 999)}`,
    `http://bit.ly/${rng.token(7)}`,
  ]);
}

/** The caption of a post: null or "" for some visual posts, otherwise natural text. */
export function caption(rng: Rng, plan: PostPlan, city: City): string | null {
  if (plan.style === STYLE_EMPTY) return rng.chance(0.6) ? null : "";
  if (plan.style === STYLE_EMOJI) return rng.pick(EMOJI_ONLY);
  const other = rng.int(0, TAGS.length - 1);
  let text: string;
  if (plan.style === STYLE_PROFANE) text = profane(rng, plan.tag, city);
  else if (plan.type === POLL) text = poll(rng, plan.tag < 0 ? other : plan.tag, other, city);
  else if (plan.type === TEXT) {
    const first = sentence(rng, plan.tag, city);
    const again = sentence(rng, plan.extraTags[0] ?? plan.tag, city);
    text = again === first ? first : `${first} ${again}`;
  } else if (plan.type === VIDEO && rng.chance(0.3)) {
    const name = TAGS[plan.tag];
    text = name
      ? `Quick clip: ${PHRASES[name].did[0].replace("{spot}", rng.pick(city.spots))} ${rng.pick(EMOJI)}`
      : "Quick clip 🎥";
  } else text = sentence(rng, plan.tag, city);
  if (plan.style === STYLE_SHOUTY) return `${text.replace(/[.!?]+$/, "").toUpperCase()}!!!`;
  if (plan.style === STYLE_LINK) return `${text} ${link(rng, plan, city)}`;
  return text;
}

/** Tags as people type them: mostly the interest itself, some with '#', mixed case, spaces. */
export function postTags(rng: Rng, plan: PostPlan): string[] {
  if (plan.tag < 0 || rng.chance(0.12)) return [];
  const tags = [plan.tag, ...plan.extraTags].map((t) => formatTag(rng, TAGS[t] ?? "misc"));
  if (rng.chance(0.03)) tags.push(formatTag(rng, TAGS[plan.tag] ?? "misc"));
  return tags;
}

function formatTag(rng: Rng, tag: string): string {
  const r = rng.float();
  if (r < 0.45) return tag;
  if (r < 0.65) return `#${tag}`;
  if (r < 0.78) return cap(tag);
  if (r < 0.88) return `#${cap(tag)}`;
  if (r < 0.97) return tag.toUpperCase();
  return ` ${cap(tag)} `;
}

export const cityOf = (index: number): City => CITIES[index] ?? (CITIES[0] as City);
