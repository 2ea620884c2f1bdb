import type { Person } from "./population.ts";
import type { Rng } from "./random.ts";
import { ageFit, tasteAttraction } from "./tastes.ts";
import { CITIES, TAGS } from "./vocabulary.ts";

/**
 * Who is drawn to whom, and where to find likely actors. `follows[u]` are the people u is
 * into (mostly same city, a gender u seeks, shared interests, an age u accepts);
 * engagement, profile views and messages all lean on these edges, so that the people who
 * message each other are mostly the ones who engaged with each other.
 */
export interface SocialGraph {
  follows: number[][];
  followers: number[][];
  /** Users per city (by CITIES index). */
  byCity: number[][];
  /** Users per interest tag (by TAGS index). */
  byTag: number[][];
  /** Users per (city, tag): index city * TAGS.length + tag. */
  byCityTag: number[][];
}

export function buildGraph(rng: Rng, people: readonly Person[]): SocialGraph {
  const byCity = CITIES.map(() => [] as number[]);
  const byTag = TAGS.map(() => [] as number[]);
  const byCityTag = Array.from({ length: CITIES.length * TAGS.length }, () => [] as number[]);
  for (const p of people) {
    if (p.lastActiveAt === null) continue;
    byCity[p.city]?.push(p.index);
    for (const t of p.interests) {
      byTag[t]?.push(p.index);
      byCityTag[p.city * TAGS.length + t]?.push(p.index);
    }
  }

  const follows = people.map(() => [] as number[]);
  const followers = people.map(() => [] as number[]);
  for (const u of people) {
    if (u.lastActiveAt === null) continue;
    const pool = byCity[u.city] ?? [];
    if (pool.length < 2) continue;
    const want = Math.min(25, Math.floor(rng.lognormal(2.5, 0.9)));
    const mine = follows[u.index] ?? [];
    for (let slot = 0; slot < want; slot++) {
      for (let attempt = 0; attempt < 40; attempt++) {
        const v = people[rng.pick(pool)];
        if (!v || v.index === u.index || mine.includes(v.index)) continue;
        if (rng.chance(attraction(u, v))) {
          mine.push(v.index);
          followers[v.index]?.push(u.index);
          break;
        }
      }
    }
  }
  // Interest is often returned: some edges become mutual (the pairs that end up talking).
  for (const u of people) {
    for (const vi of [...(follows[u.index] ?? [])]) {
      const v = people[vi];
      const back = follows[vi];
      if (!v || !back || back.includes(u.index) || v.lastActiveAt === null) continue;
      if (rng.chance(Math.min(1, 2 * attraction(v, u)))) {
        back.push(u.index);
        followers[u.index]?.push(vi);
      }
    }
  }
  return { follows, followers, byCity, byTag, byCityTag };
}

/**
 * How likely u is to be into v (0–1): gender fit, then the latent tastes — taste similarity
 * and how well v's age fits u's ideal — never the inputs (interests, stated age range) that
 * the jobs score, which only reflect those tastes with noise.
 */
export function attraction(u: Person, v: Person): number {
  const sought = (u.seeks >> v.gender) & 1 ? 1 : 0.12;
  const mutual = (v.seeks >> u.gender) & 1 ? 1 : 0.4;
  const age = 0.15 + 0.85 * ageFit(u.taste, u.age, v.age);
  return sought * mutual * age * tasteAttraction(u.taste, v.taste);
}
