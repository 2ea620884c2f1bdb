import type { Person, Preference } from "./population.ts";
import type { Rng } from "./random.ts";
import { ageTolerance } from "./tastes.ts";
import { type Attribute, CLUSTERS, TAGS } from "./vocabulary.ts";

const SPORTY = new Set<string>([...(CLUSTERS[1] ?? []), ...(CLUSTERS[6] ?? [])]);

/** Lifestyle attributes; about a fifth of users never fill them in (missing is the norm). */
export function attributesFor(rng: Rng, age: number, interests: readonly number[]): string[] {
  if (rng.chance(0.2)) return [];
  const out: Attribute[] = [];
  const add = (attribute: Attribute, p: number) => {
    if (rng.chance(p)) out.push(attribute);
  };
  const sporty = interests.some((t) => SPORTY.has(TAGS[t] ?? ""));
  add("smokes", 0.12);
  add("drinks", 0.62);
  add("cannabis", 0.1);
  const hasKids = rng.chance(Math.min(0.55, Math.max(0.03, (age - 24) / 25)));
  if (hasKids) out.push("has_kids");
  add("wants_kids", hasKids ? 0.08 : age < 42 ? 0.45 : 0.06);
  add("pets", 0.33);
  if (rng.chance(0.03)) out.push("vegan", "vegetarian");
  else add("vegetarian", 0.08);
  add("religious", 0.28);
  add("active", sporty ? 0.7 : 0.25);
  if (rng.chance(0.3)) out.push("night_owl");
  else add("early_riser", 0.25);
  add("travels_often", 0.18);
  add("student", age < 26 ? 0.35 : 0.03);
  return out;
}

const DISTANCES = [10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 160];
const DISTANCE_WEIGHTS = [3, 4, 6, 9, 10, 10, 12, 7, 8, 5, 3, 3];

/**
 * Match preferences: a stated age range around the user's latent ideal partner age (a noisy,
 * partial view of the age fit that drives outcomes), and a few hard and soft attribute filters.
 */
export function preferencesFor(rng: Rng, person: Person, updatedAt: number): Preference {
  const age = Math.floor(person.age);
  const ideal = age + person.taste.idealAgeOffset;
  const width = ageTolerance(age);
  let minAge = ideal - rng.range(0.8, 2.2) * width;
  let maxAge = ideal + rng.range(0.8, 2.2) * width;
  if (rng.chance(0.03)) {
    minAge = 18;
    maxAge = 99;
  }
  minAge = Math.max(18, Math.round(minAge));
  maxAge = Math.min(99, Math.max(minAge + 2, Math.round(maxAge)));

  const has = new Set(person.attributes);
  const dealbreakers: string[] = [];
  const hard = (attribute: Attribute, p: number) => {
    if (dealbreakers.length < 3 && rng.chance(p)) dealbreakers.push(attribute);
  };
  if (!has.has("smokes")) hard("smokes", 0.4);
  if (!has.has("has_kids") && !has.has("wants_kids")) hard("has_kids", 0.15);
  if (!has.has("cannabis")) hard("cannabis", 0.12);
  if (!has.has("religious")) hard("religious", 0.1);
  if (!has.has("drinks")) hard("drinks", 0.1);

  const preferences: string[] = [];
  const soft = (attribute: Attribute, p: number) => {
    if (preferences.length < 3 && !dealbreakers.includes(attribute) && rng.chance(p)) {
      preferences.push(attribute);
    }
  };
  soft("active", has.has("active") ? 0.45 : 0.1);
  if (has.has("wants_kids")) soft("wants_kids", 0.5);
  if (has.has("pets")) soft("pets", 0.4);
  if (has.has("vegetarian")) soft("vegetarian", 0.5);
  if (has.has("travels_often")) soft("travels_often", 0.3);
  if (has.has("religious")) soft("religious", 0.35);
  if (has.has("drinks")) soft("drinks", 0.15);
  if (has.has("night_owl")) soft("night_owl", 0.15);
  if (has.has("early_riser")) soft("early_riser", 0.15);

  return {
    minAge,
    maxAge,
    maxDistanceKm: DISTANCES[rng.weighted(DISTANCE_WEIGHTS)] ?? 50,
    dealbreakers,
    preferences,
    updatedAt,
  };
}
